import {Unread} from '../static/js/unread.js';
import {assert, test} from './runner.js';

test('Unread counts only while hidden and puts the divider before the first unread', () => {
  const unread = new Unread();
  assert.notOk(unread.arrived(false), 'visible: not unread');
  assert.equal(unread.title('Chatroom'), 'Chatroom');
  unread.setHidden(true);
  assert.ok(unread.arrived(false), 'first while hidden gets the divider');
  assert.notOk(unread.arrived(false));
  assert.notOk(unread.arrived(false));
  assert.equal(unread.title('Chatroom'), '(3) Chatroom');
});

test('Unread marks mentions in the title and resets when visible again', () => {
  const unread = new Unread();
  unread.setHidden(true);
  unread.arrived(false);
  unread.arrived(true);
  assert.equal(unread.title('Chatroom'), '(2, @1) Chatroom');
  unread.setHidden(false);
  assert.equal(unread.title('Chatroom'), 'Chatroom');
  unread.setHidden(true);
  assert.ok(unread.arrived(false), 'a new hidden spell has its own first unread');
  assert.equal(unread.title('Chatroom'), '(1) Chatroom');
});
