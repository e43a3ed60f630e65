import {PAGE_SIZE, historyUrl, mergeOlder} from '../static/js/scrollback.js';
import {assert, test} from './runner.js';

const msg = (id) => ({type: 'message', id, from: 'ana', text: 'm' + id, ts: 1000 + id});
const ids = (messages) => messages.map((m) => m.id);

test('historyUrl asks for the page just older than the oldest id shown', () => {
  assert.equal(historyUrl('/chat', 81), '/chat/history?before=81&limit=' + PAGE_SIZE);
  assert.equal(historyUrl('', 5, 3), '/history?before=5&limit=3');
  assert.ok(PAGE_SIZE >= 1 && PAGE_SIZE <= 200, 'within the server cap');
});

test('mergeOlder inserts a full page oldest first and expects more', () => {
  const page = [msg(31), msg(32), msg(33)];
  const merged = mergeOlder(page, 34, 3);
  assert.deepEqual(ids(merged.insert), [31, 32, 33]);
  assert.equal(merged.before, 31);
  assert.ok(merged.more, 'a full page: the server may have older ones');
});

test('mergeOlder skips ids already shown, duplicates, junk, and sorts', () => {
  const page = [msg(12), msg(10), msg(12), {id: 11}, null, 'x', msg(20), msg(21)];
  const merged = mergeOlder(page, 20, 8);
  assert.deepEqual(ids(merged.insert), [10, 12], 'only older, well-formed, once each, in id order');
  assert.equal(merged.before, 10);
});

test('mergeOlder stops at a short page, an empty one, or one that brings nothing older', () => {
  assert.notOk(mergeOlder([msg(1), msg(2)], 3, 50).more, 'fewer than asked: the beginning');
  const empty = mergeOlder([], 7, 50);
  assert.deepEqual(ids(empty.insert), []);
  assert.equal(empty.before, 7);
  assert.notOk(empty.more);
  assert.notOk(mergeOlder([msg(7), msg(8)], 7, 2).more, 'nothing older although full: no endless loop');
  assert.notOk(mergeOlder([msg(1), msg(2)], 3, 2).more, 'id 1 is the first there is');
  assert.notOk(mergeOlder({error: 'unavailable'}, 3, 2).more, 'not an array');
});
