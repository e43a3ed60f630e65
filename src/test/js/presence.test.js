import {OnlineList} from '../static/js/presence.js';
import {assert, test} from './runner.js';

test('the welcome gives the exact count and the names it lists; we are listed even if it missed us', () => {
  const list = new OnlineList();
  list.reset({type: 'welcome', you: 'ana', online: 1234, users: ['bob', 'cy', 7]}, 'ana');
  assert.deepEqual(list.users, ['bob', 'cy', 'ana']);
  assert.equal(list.online, 1234);
  assert.equal(list.unnamed(), 1231, 'guests and names beyond the bounded list');
});

test('a presence frame applies net joins and leaves and takes the count as given', () => {
  const list = new OnlineList();
  list.reset({online: 3, users: ['ana', 'bob']}, 'ana');
  assert.ok(list.apply({type: 'presence', online: 40, joined: ['cy', 'bob'], left: ['bob']}, 'ana'));
  assert.deepEqual(list.users, ['ana', 'cy', 'bob'], 'left first, then joined: bob left and came back');
  assert.equal(list.online, 40);
  assert.notOk(list.apply({type: 'presence', online: 40, joined: [], left: ['nobody']}, 'ana'), 'nothing changed');
  assert.ok(list.apply({type: 'presence', online: 39, joined: [], left: []}, 'ana'), 'a guest left');
  assert.equal(list.unnamed(), 36, '39 online, 3 named');
});

test('one name leaving as another arrives changes the list though its length and the count stay', () => {
  const list = new OnlineList();
  list.reset({online: 2, users: ['ana', 'bob']}, 'ana');
  assert.ok(list.apply({type: 'presence', online: 2, joined: ['cy'], left: ['bob']}, 'ana'), 'bob swapped for cy');
  assert.deepEqual(list.users, ['ana', 'cy']);
});

test('we never leave our own list, and the count is never below the names shown', () => {
  const list = new OnlineList();
  list.reset({online: 1, users: ['ana']}, 'ana');
  list.apply({online: 0, joined: ['bob'], left: ['ana']}, 'ana');
  assert.deepEqual(list.users, ['ana', 'bob']);
  assert.equal(list.online, 2);
});

test('an old server welcome without a count counts the names it lists', () => {
  const list = new OnlineList();
  list.reset({users: ['ana', 'bob']}, 'ana');
  assert.equal(list.online, 2);
  assert.equal(list.unnamed(), 0);
});
