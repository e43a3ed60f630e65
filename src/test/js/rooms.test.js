import {listedRooms, roomName, roomUrl} from '../static/js/rooms.js';
import {historyUrl} from '../static/js/scrollback.js';
import {assert, test} from './runner.js';

test('roomName accepts what the server accepts, lower-cased', () => {
  assert.equal(roomName('Help'), 'help');
  assert.equal(roomName('  dev-ops_2  '), 'dev-ops_2', 'blanks around are dropped');
  assert.equal(roomName('x'.repeat(32)), 'x'.repeat(32));
});

test('roomName refuses what the server refuses', () => {
  for (const bad of ['', '   ', 'no spaces', 'café', '\u212Aitchen', 'a.b', 'x'.repeat(33), null, undefined]) {
    assert.equal(roomName(bad), null, String(bad));
  }
});

test('roomUrl sends the default room to / and any other to /r/<room>', () => {
  assert.equal(roomUrl('/chat', 'general', 'general'), '/chat/');
  assert.equal(roomUrl('/chat', 'help', 'general'), '/chat/r/help');
  assert.equal(roomUrl('', 'a_b', 'general'), '/r/a_b');
});

test('listedRooms keeps well-formed rooms in the server order', () => {
  const answer = {rooms: [{name: 'busy', online: 9}, {name: 'Bad Name', online: 1}, {name: 'x', online: -1},
    {name: 'quiet', online: 1}, null, {name: 'noCount'}]};
  assert.deepEqual(listedRooms(answer).map((r) => r.name), ['busy', 'quiet']);
  assert.deepEqual(listedRooms(null), []);
  assert.deepEqual(listedRooms({rooms: 'nope'}), []);
});

test('historyUrl names the room when there is one', () => {
  assert.equal(historyUrl('/chat', 81, 50, 'help'), '/chat/history?before=81&limit=50&room=help');
  assert.equal(historyUrl('/chat', 81, 50), '/chat/history?before=81&limit=50');
});
