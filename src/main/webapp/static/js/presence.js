/* Who is online: the welcome's list, then joins and leaves; rendered with our own entry first. */
import {el, hueOf} from './dom.js';

export class Presence {
  constructor(list, count) {
    this.list = list;
    this.count = count;
    this.users = [];
  }

  /** The welcome's list; we are in it even if the server listed us late. */
  reset(users, me) {
    this.users = users.filter((u) => typeof u === 'string');
    if (me && !this.users.includes(me)) {
      this.users.push(me);
    }
  }

  /** True if the user is new here (a second tab of someone already listed is not news). */
  join(user) {
    if (typeof user !== 'string' || this.users.includes(user)) {
      return false;
    }
    this.users.push(user);
    return true;
  }

  leave(user) {
    const index = this.users.indexOf(user);
    if (index < 0) {
      return false;
    }
    this.users.splice(index, 1);
    return true;
  }

  render(me) {
    const others = this.users.filter((u) => u !== me)
        .sort((a, b) => a.localeCompare(b, undefined, {sensitivity: 'base'}));
    const items = [];
    if (this.users.includes(me)) {
      const self = el('li', 'user self');
      self.appendChild(document.createTextNode(me + ' '));
      self.appendChild(el('span', 'you', '(you)'));
      items.push(self);
    }
    for (const u of others) {
      const item = el('li', 'user', u);
      item.style.setProperty('--hue', String(hueOf(u)));
      items.push(item);
    }
    this.list.replaceChildren(...items);
    this.count.textContent = this.users.length ? String(this.users.length) : '';
  }
}
