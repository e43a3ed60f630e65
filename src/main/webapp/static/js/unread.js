/*
 * Unread messages while the tab is hidden, pure: the count in the title and where the divider goes.
 * Unit-tested in src/test/js/unread.test.js.
 */
export class Unread {
  constructor() {
    this.hidden = false;
    this.count = 0;
    this.mentions = 0;
  }

  /** Going hidden starts a new unread run; coming back clears the count (the divider stays where it was). */
  setHidden(hidden) {
    this.hidden = hidden;
    if (!hidden) {
      this.count = 0;
      this.mentions = 0;
    }
  }

  /**
   * Counts a message that arrived; returns true when it is the first unread one of this run, the one the
   * "new messages" divider goes before. Messages are only unread while the tab is hidden.
   */
  arrived(mention) {
    if (!this.hidden) {
      return false;
    }
    this.count += 1;
    if (mention) {
      this.mentions += 1;
    }
    return this.count === 1;
  }

  /** "Chatroom", "(3) Chatroom", or with mentions "(3, @1) Chatroom". */
  title(base) {
    if (this.count === 0) {
      return base;
    }
    const mentions = this.mentions > 0 ? ', @' + this.mentions : '';
    return '(' + this.count + mentions + ') ' + base;
  }
}
