import {PendingSends, isOwnMessage} from '../static/js/pending.js';
import {assert, test} from './runner.js';

// Cids reach every member with their messages: anyone may send a message carrying one of ours.

test('isOwnMessage goes by the sender name, never by the cid', () => {
  const pending = new PendingSends('cX');
  const mine = pending.add('hello');
  assert.ok(isOwnMessage({from: 'ana', cid: mine.cid, text: 'hello'}, 'ana'));
  assert.ok(isOwnMessage({from: 'ana', text: 'no cid'}, 'ana'), 'our own message sent from another tab');
  assert.notOk(isOwnMessage({from: 'mallory', cid: mine.cid, text: 'I am ana'}, 'ana'), 'our cid from someone else');
  assert.notOk(isOwnMessage({from: '', cid: mine.cid}, ''), 'no name yet: nothing is ours');
  assert.notOk(isOwnMessage({from: 'ana'}, undefined));
  assert.notOk(isOwnMessage(null, 'ana'));
});

test('an echo of our cid from another name does not confirm our pending send', () => {
  const pending = new PendingSends('cX');
  const a = pending.add('a');
  pending.markSent(a);
  assert.equal(pending.confirm({from: 'mallory', cid: a.cid}, 'ana'), null, 'a forged echo');
  assert.equal(a.status, 'sent', 'still awaiting its own echo');
  assert.equal(pending.size, 1);
  assert.equal(pending.confirm({from: 'ana', cid: a.cid}, 'ana'), a, 'the real echo');
  assert.equal(pending.size, 0);
});

test('a cid we sent before is not ours in someone else\'s message after the echo', () => {
  const pending = new PendingSends('cX');
  const a = pending.add('a');
  pending.confirm({from: 'ana', cid: a.cid}, 'ana');
  assert.notOk(isOwnMessage({from: 'mallory', cid: a.cid}, 'ana'));
  assert.equal(pending.confirm({from: 'mallory', cid: a.cid}, 'ana'), null);
});
