/*
 * Messages a moderator removed, pure: the ids the room's `deleted` frames named. A deleted id that arrives
 * again (a replay after a reconnect, an older page, the embedded history of a page loaded just before the
 * delete) is shown as removed, never with its text. Unit-tested in src/test/js/deletions.test.js.
 */

// A page open for days must not grow without bound; past this the oldest ids are forgotten (the server has
// removed those messages from every history and replay by then, so they cannot arrive again).
export const MAX_REMEMBERED = 5000;

/** The id a `deleted` frame names, or null when the frame is not a well-formed one. */
export function deletedId(frame) {
  return frame && frame.type === 'deleted' && Number.isSafeInteger(frame.id) && frame.id > 0 ? frame.id : null;
}

export class DeletedIds {
  constructor(max = MAX_REMEMBERED) {
    this.max = max;
    this.ids = new Set();
  }

  add(id) {
    this.ids.delete(id); // a repeat moves to the newest end
    this.ids.add(id);
    while (this.ids.size > this.max) {
      this.ids.delete(this.ids.values().next().value);
    }
  }

  has(id) {
    return this.ids.has(id);
  }
}
