/* Reconnect timing, pure: the caller owns the timers. Unit-tested in src/test/js/backoff.test.js. */

export const BACKOFF_MIN_MS = 500;
export const BACKOFF_MAX_MS = 10000;
// Past this, the ceiling has long been BACKOFF_MAX_MS; the cap only keeps 2^attempt finite.
const MAX_ATTEMPT = 16;

/**
 * The wait before reconnect attempt number `attempt` (0 for the first retry): exponential with "equal jitter",
 * half the ceiling fixed and half random, so a room full of clients cut off by the same restart does not come
 * back in one wave. `random` returns a number in [0, 1), as Math.random does.
 */
export function backoffDelay(attempt, random = Math.random) {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, Math.min(attempt, MAX_ATTEMPT)));
  return ceiling / 2 + random() * ceiling / 2;
}

export function nextAttempt(attempt) {
  return Math.min(attempt + 1, MAX_ATTEMPT);
}

/** Whole seconds to show in "Reconnecting in N s": never 0 while a wait is still running. */
export function secondsLeft(due, now) {
  return Math.max(1, Math.ceil((due - now) / 1000));
}
