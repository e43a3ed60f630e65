/* Which messages share one header, pure. Unit-tested in src/test/js/grouping.test.js. */

/** Consecutive messages from one sender within this time share a header (name and time shown once). */
export const GROUP_WINDOW_MS = 5 * 60 * 1000;

/**
 * Whether `next` continues the group `previous` belongs to: same sender, same day, sent within
 * GROUP_WINDOW_MS of it (and not before it). `previous` is null after anything that breaks a run: a day
 * divider, the unread divider, a gap notice.
 */
export function continuesGroup(previous, next) {
  if (!previous || previous.from !== next.from) {
    return false;
  }
  if (typeof previous.ts !== 'number' || typeof next.ts !== 'number') {
    return false;
  }
  const gap = next.ts - previous.ts;
  return gap >= 0 && gap <= GROUP_WINDOW_MS && dayKey(previous.ts) === dayKey(next.ts);
}

/** The local calendar day of a timestamp, for day dividers and groups. */
export function dayKey(ts) {
  const d = new Date(ts);
  return d.getFullYear() + '-' + (d.getMonth() + 1) + '-' + d.getDate();
}
