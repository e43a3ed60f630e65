import {SeenIds, isMessage, parseFrame, parseHistory} from '../static/js/frames.js';
import {assert, test} from './runner.js';

const m = (id, text = 'm' + id) => ({type: 'message', id, from: 'ana', text, ts: 1764201600000 + id});

test('parseFrame reads every JSON line of a batched frame and skips the rest', () => {
  const frame = [JSON.stringify(m(1)), '', '  ', 'not json', JSON.stringify({type: 'reset'}), '42', 'null', JSON.stringify(m(2))].join('\n');
  assert.deepEqual(parseFrame(frame).map((f) => f.type + (f.id || '')), ['message1', 'reset', 'message2']);
  assert.deepEqual(parseFrame(new ArrayBuffer(2)), [], 'binary frames are not ours');
});

test('isMessage wants a numeric id, a sender and a text', () => {
  assert.ok(isMessage(m(1)));
  assert.notOk(isMessage({id: '1', from: 'a', text: 't'}), 'string id');
  assert.notOk(isMessage({id: 1, from: 'a'}), 'no text');
  assert.notOk(isMessage(null));
});

test('parseHistory keeps well-formed messages and survives a broken embed', () => {
  assert.deepEqual(parseHistory(JSON.stringify([m(1), {id: 2}, m(3)])).map((x) => x.id), [1, 3]);
  assert.deepEqual(parseHistory('{"not":"a list"}'), []);
  assert.deepEqual(parseHistory('[{"id":1,'), []);
  assert.deepEqual(parseHistory(''), []);
});

test('SeenIds drops replays and duplicates by id and moves the resume point forward only', () => {
  const seen = new SeenIds();
  assert.ok(seen.accept(m(5)));
  assert.notOk(seen.accept(m(5)), 'same id again (a replay after reconnect)');
  assert.notOk(seen.accept(m(3)), 'older id');
  assert.ok(seen.accept(m(9)));
  assert.equal(seen.lastId, 9, 'resume point is the last id shown');
  assert.notOk(seen.accept({type: 'join', user: 'x'}), 'not a message');
  seen.atLeast(7);
  assert.equal(seen.lastId, 9, 'a smaller resume point from the server is ignored');
  seen.atLeast(12);
  assert.equal(seen.lastId, 12);
});

test('SeenIds recognises a welcome from another room by its lower lastId', () => {
  const seen = new SeenIds(100);
  assert.ok(seen.isFromAnotherRoom({type: 'welcome', lastId: 4}));
  assert.notOk(seen.isFromAnotherRoom({type: 'welcome', lastId: 100}));
  assert.notOk(seen.isFromAnotherRoom({type: 'welcome'}), 'no lastId says nothing');
  seen.reset();
  assert.ok(seen.accept(m(1)), 'after a reset the other room\'s first message is new');
});
