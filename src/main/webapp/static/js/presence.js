/*
 * Who is online. The server sends the exact count and a bounded list of names in the welcome, then at most one
 * presence frame per interval ({"type":"presence","online":N,"joined":[...],"left":[...]}) with the count and the
 * named users who came or went; guests are only counted. The list shows the names we know (our own entry first)
 * and "N more" for everyone counted but not named. Presence never adds lines to the message list: however much
 * churn there is, it cannot push a message out of view.
 */
import {el, hueOf} from './dom.js';

/** The pure part: the names we know and the exact count, from welcome and presence frames. */
export class OnlineList {
  constructor() {
    this.users = [];
    this.online = 0;
  }

  /** The welcome: its (bounded) list and count; we are online even if the server listed us late. */
  reset(frame, me) {
    this.users = Array.isArray(frame.users) ? frame.users.filter((u) => typeof u === 'string') : [];
    this.online = typeof frame.online === 'number' ? frame.online : this.users.length;
    if (me && !this.users.includes(me)) {
      this.users.push(me);
    }
    this.online = Math.max(this.online, this.users.length);
  }

  /** A presence frame; true when what is shown changes. */
  apply(frame, me) {
    const onlineBefore = this.online;
    // Counted per name, not by the list's length: one name leaving as another arrives keeps the length.
    let namesChanged = false;
    for (const u of Array.isArray(frame.left) ? frame.left : []) {
      const index = this.users.indexOf(u);
      if (index >= 0 && u !== me) {
        this.users.splice(index, 1);
        namesChanged = true;
      }
    }
    for (const u of Array.isArray(frame.joined) ? frame.joined : []) {
      if (typeof u === 'string' && !this.users.includes(u)) {
        this.users.push(u);
        namesChanged = true;
      }
    }
    if (typeof frame.online === 'number') {
      this.online = frame.online;
    }
    this.online = Math.max(this.online, this.users.length);
    return namesChanged || this.online !== onlineBefore;
  }

  /** Online but not named here: guests, and names beyond the server's bounded lists. */
  unnamed() {
    return Math.max(0, this.online - this.users.length);
  }
}

export class Presence {
  /** decorate(item, name) may add controls to another user's entry (a moderator's). */
  constructor(list, count, decorate = () => {}) {
    this.list = list;
    this.count = count;
    this.decorate = decorate;
    this.model = new OnlineList();
  }

  reset(frame, me) {
    this.model.reset(frame, me);
  }

  /** True if the online list changed. */
  apply(frame, me) {
    return this.model.apply(frame, me);
  }

  render(me) {
    const users = this.model.users;
    const others = users.filter((u) => u !== me)
        .sort((a, b) => a.localeCompare(b, undefined, {sensitivity: 'base'}));
    const items = [];
    if (users.includes(me)) {
      const self = el('li', 'user self');
      self.appendChild(document.createTextNode(me + ' '));
      self.appendChild(el('span', 'you', '(you)'));
      items.push(self);
    }
    for (const u of others) {
      const item = el('li', 'user', u);
      item.style.setProperty('--hue', String(hueOf(u)));
      this.decorate(item, u);
      items.push(item);
    }
    const unnamed = this.model.unnamed();
    if (unnamed > 0) {
      items.push(el('li', 'more', '+ ' + unnamed + ' more'));
    }
    this.list.replaceChildren(...items);
    this.count.textContent = this.model.online ? String(this.model.online) : '';
  }
}
