/*
 * Scrollback, pure: which messages of an older page (GET /history?before=<id>) go above what is shown, and
 * whether the server may have more. Unit-tested in src/test/js/scrollback.test.js.
 */
import {isMessage} from './frames.js';

/** Messages asked for per request; the server caps a request at 200. */
export const PAGE_SIZE = 50;

/** The request for the page just older than `before` (the oldest id shown), of `room` (none: the default room). */
export function historyUrl(contextPath, before, limit = PAGE_SIZE, room = null) {
  return contextPath + '/history?before=' + encodeURIComponent(String(before)) + '&limit=' + limit
      + (room ? '&room=' + encodeURIComponent(room) : '');
}

/**
 * Merges an older page into what is shown, whose oldest id is `oldestShown`. Returns `insert`: the page's
 * well-formed messages older than that, each id once, oldest first (they all go above the oldest shown);
 * `before`: where the next request starts; `more`: whether the server may have anything older. The server
 * answers at most `asked`; fewer means the beginning was reached, and a page that brings nothing older (a server
 * ignoring `before`) stops too, so scrolling up never loops.
 */
export function mergeOlder(page, oldestShown, asked) {
  const byId = new Map();
  for (const m of Array.isArray(page) ? page : []) {
    if (isMessage(m) && m.id < oldestShown && !byId.has(m.id)) {
      byId.set(m.id, m);
    }
  }
  const insert = Array.from(byId.values()).sort((a, b) => a.id - b.id);
  const before = insert.length > 0 ? insert[0].id : oldestShown;
  const more = Array.isArray(page) && page.length >= asked && insert.length > 0 && before > 1;
  return {insert, before, more};
}
