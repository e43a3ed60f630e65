import {DeletedIds, deletedId} from '../static/js/deletions.js';
import {MessagesView} from '../static/js/messages-view.js';
import {assert, test} from './runner.js';

const T0 = new Date(2025, 5, 2, 12, 0).getTime();
const m = (id, from = 'ana', text = 'secret ' + id) => ({type: 'message', id, from, text, ts: T0 + id * 1000});

function view(deleted) {
  const list = document.createElement('ol');
  const jump = document.createElement('button');
  document.body.appendChild(list);
  const v = new MessagesView(list, jump,
      {isOwn: () => false, isMention: () => false, isDeleted: (id) => deleted.has(id)});
  return {list, v};
}

function shown(list) {
  return Array.from(list.querySelectorAll('li.message')).map((li) => li.getAttribute('data-id') + ':'
      + li.querySelector('.text').textContent + (li.classList.contains('continued') ? '+' : ''));
}

test('deletedId reads a well-formed deleted frame only', () => {
  assert.equal(deletedId({type: 'deleted', id: 42}), 42);
  assert.equal(deletedId({type: 'deleted', id: '42'}), null, 'a string id');
  assert.equal(deletedId({type: 'deleted', id: 0}), null);
  assert.equal(deletedId({type: 'message', id: 42}), null);
  assert.equal(deletedId(null), null);
});

test('DeletedIds remembers ids and forgets the oldest past its bound', () => {
  const ids = new DeletedIds(3);
  [1, 2, 3].forEach((id) => ids.add(id));
  ids.add(1); // a repeat is the newest again
  ids.add(4);
  assert.notOk(ids.has(2), 'the oldest went');
  assert.ok(ids.has(1) && ids.has(3) && ids.has(4));
});

test('a message deleted after it was shown loses its text, keeps its place and its run', () => {
  const deleted = new DeletedIds();
  const {list, v} = view(deleted);
  [m(1), m(2), m(3)].forEach((x) => v.showMessage(x));
  deleted.add(1);
  v.markDeleted(1);
  deleted.add(2);
  v.markDeleted(2);
  v.markDeleted(2); // twice (a purge and a delete) is fine
  assert.deepEqual(shown(list), ['1:removed by a moderator', '2:removed by a moderator+', '3:secret 3+']);
  assert.notOk(list.textContent.includes('secret 1') || list.textContent.includes('secret 2'),
      'no deleted text in the DOM');
  assert.equal(list.querySelector('li[data-id="1"] .from').textContent, 'ana', 'the header stays for the run');
  v.markDeleted(99); // not shown: nothing to do
  list.remove();
});

test('a message deleted before it is shown arrives as removed: replay, embedded history, older page', () => {
  const deleted = new DeletedIds();
  deleted.add(5);
  deleted.add(2);
  const {list, v} = view(deleted);
  v.showMessage(m(5));
  v.prependOlder([m(1), m(2)]);
  assert.deepEqual(shown(list), ['1:secret 1', '2:removed by a moderator+', '5:removed by a moderator+'],
      'the older page joins its run');
  assert.notOk(list.textContent.includes('secret 5') || list.textContent.includes('secret 2'));
  list.remove();
});

test('a signed-in author gets a badge with an accessible label', () => {
  const {list, v} = view(new DeletedIds());
  v.showMessage({...m(1), signedIn: true});
  v.showMessage(m(2, 'bob'));
  const badges = list.querySelectorAll('.signed-in');
  assert.equal(badges.length, 1);
  assert.equal(badges[0].getAttribute('role'), 'img');
  assert.equal(badges[0].getAttribute('aria-label'), 'signed in');
  assert.equal(badges[0].closest('li').getAttribute('data-from'), 'ana');
  list.remove();
});
