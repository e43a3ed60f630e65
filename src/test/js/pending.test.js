import {PendingSends, makeCidPrefix} from '../static/js/pending.js';
import {assert, test} from './runner.js';

function sends() {
  const changes = [];
  const pending = new PendingSends('cX', (p) => changes.push(p.text + ':' + p.status));
  return {pending, changes};
}

test('PendingSends gives each message its own cid and sends queued ones in typed order', () => {
  const {pending} = sends();
  const a = pending.add('a');
  const b = pending.add('b');
  assert.equal(a.cid, 'cX-1');
  assert.equal(b.cid, 'cX-2');
  assert.deepEqual(pending.toSend().map((p) => p.text), ['a', 'b']);
  pending.markSent(a);
  assert.deepEqual(pending.toSend().map((p) => p.text), ['b'], 'what is on the wire is not sent twice');
});

test('PendingSends re-queues what was on the wire when the connection drops, with the same cid', () => {
  const {pending, changes} = sends();
  const a = pending.add('a');
  const b = pending.add('b');
  pending.markSent(a);
  pending.markSent(b);
  pending.confirm({from: 'me', cid: a.cid}, 'me');
  pending.requeueInFlight();
  assert.deepEqual(pending.toSend().map((p) => p.cid), [b.cid], 'only the unconfirmed one, same cid');
  assert.deepEqual(changes, ['a:sent', 'b:sent', 'b:queued']);
});

test('PendingSends confirms our echo by cid', () => {
  const {pending} = sends();
  const a = pending.add('a');
  assert.equal(pending.confirm({from: 'me', cid: 'someone-else'}, 'me'), null);
  assert.equal(pending.confirm({from: 'me', cid: a.cid}, 'me'), a);
  assert.equal(pending.size, 0);
  assert.equal(pending.confirm({from: 'me', cid: a.cid}, 'me'), null, 'a second echo finds nothing');
});

test('PendingSends marks the refused message: by cid, else the oldest on the wire', () => {
  const {pending} = sends();
  const a = pending.add('a');
  const b = pending.add('b');
  const c = pending.add('c');
  pending.markSent(a);
  pending.markSent(b);
  assert.equal(pending.refuse(b.cid), b, 'exact by cid');
  assert.equal(b.status, 'failed');
  assert.equal(pending.refuse(undefined), a, 'oldest sent when the error has no cid');
  assert.equal(pending.refuse(undefined), null, 'nothing on the wire: nothing to blame');
  assert.equal(c.status, 'queued', 'a queued one is never blamed');
  pending.requeueInFlight();
  assert.equal(a.status, 'failed', 'a refused message is not re-sent by itself');
  pending.retry(a);
  assert.deepEqual(pending.toSend().map((p) => p.text), ['a', 'c'], 'retry queues it again');
});

test('makeCidPrefix is random per page and fits the server\'s cid limit', () => {
  const one = makeCidPrefix();
  const two = makeCidPrefix();
  assert.ok(one !== two, 'two pages, two prefixes');
  assert.ok(/^c[0-9a-z]{1,20}$/.test(one), one);
});
