import {BACKOFF_MAX_MS, BACKOFF_MIN_MS, backoffDelay, nextAttempt, secondsLeft} from '../static/js/backoff.js';
import {assert, test} from './runner.js';

test('backoffDelay doubles from 0.5 s with equal jitter', () => {
  assert.equal(backoffDelay(0, () => 0), BACKOFF_MIN_MS / 2, 'lowest first wait');
  assert.equal(backoffDelay(0, () => 0.999999) < BACKOFF_MIN_MS, true, 'first wait stays under 0.5 s');
  assert.equal(backoffDelay(1, () => 0), 500);
  assert.equal(backoffDelay(2, () => 0), 1000);
  assert.equal(backoffDelay(3, () => 0.5), 3000, 'half fixed (2 s) plus half of the random half (1 s)');
});

test('backoffDelay never waits more than 10 s, however many attempts', () => {
  for (const attempt of [5, 6, 16, 100, 1e6]) {
    assert.equal(backoffDelay(attempt, () => 0), BACKOFF_MAX_MS / 2, 'floor at attempt ' + attempt);
    assert.ok(backoffDelay(attempt, () => 0.999999) < BACKOFF_MAX_MS, 'ceiling at attempt ' + attempt);
  }
});

test('nextAttempt counts up and stops at a cap', () => {
  assert.equal(nextAttempt(0), 1);
  let attempt = 0;
  for (let i = 0; i < 100; i++) {
    attempt = nextAttempt(attempt);
  }
  assert.equal(attempt, 16);
});

test('secondsLeft rounds up and never shows 0 while waiting', () => {
  assert.equal(secondsLeft(10000, 0), 10);
  assert.equal(secondsLeft(10000, 8999), 2);
  assert.equal(secondsLeft(10000, 9999), 1);
  assert.equal(secondsLeft(10000, 12000), 1, 'overdue timers still say 1 s');
});
