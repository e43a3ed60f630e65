import {counterState} from '../static/js/composer.js';
import {assert, test} from './runner.js';

test('counterState counts code points, so an emoji costs one character as on the server', () => {
  const tenEmoji = '\u{1F600}'.repeat(10);
  assert.deepEqual(counterState(tenEmoji, 10), {left: 0, show: true, over: false}, 'exactly at the limit is allowed');
  assert.deepEqual(counterState(tenEmoji + '!', 10), {left: -1, show: true, over: true});
});

test('counterState shows the counter only near the limit', () => {
  assert.equal(counterState('hello', 2000).show, false);
  assert.equal(counterState('x'.repeat(1800), 2000).show, true, 'within 10 %');
  assert.equal(counterState('x'.repeat(1799), 2000).show, false);
  assert.equal(counterState('', 15).show, true, 'a tiny limit always shows (20 left or fewer)');
});
