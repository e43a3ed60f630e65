import {GROUP_WINDOW_MS, continuesGroup} from '../static/js/grouping.js';
import {assert, test} from './runner.js';

const noon = new Date(2026, 10, 30, 12, 0, 0).getTime();

test('continuesGroup joins consecutive messages of one sender within a few minutes', () => {
  assert.ok(continuesGroup({from: 'ana', ts: noon}, {from: 'ana', ts: noon + 1000}));
  assert.ok(continuesGroup({from: 'ana', ts: noon}, {from: 'ana', ts: noon + GROUP_WINDOW_MS}), 'at the window');
  assert.ok(GROUP_WINDOW_MS >= 60000 && GROUP_WINDOW_MS <= 10 * 60000, 'a few minutes');
});

test('continuesGroup starts a new header for another sender, a long pause, a new day or a break', () => {
  assert.notOk(continuesGroup({from: 'ana', ts: noon}, {from: 'bob', ts: noon + 1000}), 'other sender');
  assert.notOk(continuesGroup({from: 'ana', ts: noon}, {from: 'Ana', ts: noon + 1000}), 'names are exact');
  assert.notOk(continuesGroup({from: 'ana', ts: noon}, {from: 'ana', ts: noon + GROUP_WINDOW_MS + 1}), 'pause');
  assert.notOk(continuesGroup({from: 'ana', ts: noon}, {from: 'ana', ts: noon - 1}), 'clock went back');
  const beforeMidnight = new Date(2026, 10, 30, 23, 59, 0).getTime();
  assert.notOk(continuesGroup({from: 'ana', ts: beforeMidnight}, {from: 'ana', ts: beforeMidnight + 120000}), 'new day');
  assert.notOk(continuesGroup(null, {from: 'ana', ts: noon}), 'after a divider');
  assert.notOk(continuesGroup({from: 'ana'}, {from: 'ana', ts: noon}), 'no time known');
});
