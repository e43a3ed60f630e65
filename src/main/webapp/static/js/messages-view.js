/*
 * The message list: entries with links and mentions, one header per run of messages from a sender, day and
 * unread dividers, pending sends at the end, scrolling that sticks to the newest message. All user text goes in
 * through textContent; links are built as elements from linkSegments, never from markup. A message a moderator
 * deleted keeps its place (sender and time, so its run keeps its header) with "removed by a moderator" instead
 * of its text, which leaves the DOM.
 */
import {el, fullDate, hueOf, pad2} from './dom.js';
import {continuesGroup, dayKey} from './grouping.js';
import {linkSegments} from './text.js';

// A tab left open for days must not grow without bound; the server keeps the history, not the DOM.
const MAX_RENDERED = 1500;
// How close to the end counts as "at the bottom": sub-pixel rounding and a half-visible line still stick.
const BOTTOM_SLACK_PX = 48;
// A touch held this long on a message shows its full date and time (what hovering the time shows with a mouse).
const LONG_PRESS_MS = 500;
const EARLIER_TEXT = {
  loading: 'Loading earlier messages\u2026',
  end: 'Beginning of the conversation',
  failed: 'Earlier messages could not be loaded; scroll up to try again'
};

export class MessagesView {
  /**
   * isOwn(m) and isMention(m) decide how a message is marked, isDeleted(id) whether it shows as removed; they are
   * asked once, when it is shown. decorate(item) may add controls to a shown message's entry (a moderator's).
   */
  constructor(list, jump, {isOwn, isMention, isDeleted = () => false, decorate = () => {}}) {
    this.list = list;
    this.jump = jump;
    this.isOwn = isOwn;
    this.isMention = isMention;
    this.isDeleted = isDeleted;
    this.decorate = decorate;
    this.lastDay = '';
    // {from, ts} of the last message shown, while the next one could still join its group; null otherwise.
    this.lastInGroup = null;
    this.stuck = true;
    // Group info ({from, ts}) of each message entry, so a page of older messages can join the run below it.
    this.groups = new WeakMap();
    // The first line of the list says whether older messages are loading or the conversation begins here.
    this.earlier = el('li', 'system earlier');
    this.earlier.hidden = true;
    this.list.prepend(this.earlier);
    this.bindScrolling();
    this.bindLongPress();
  }

  /** Adds a confirmed message; `firstUnread` puts the "new messages" divider before it. */
  showMessage(m, firstUnread = false) {
    this.startDay(m.ts);
    if (firstUnread) {
      this.list.querySelectorAll('li.unread-divider').forEach((old) => old.remove());
      this.insert(divider('unread-divider', 'New messages'));
      this.lastInGroup = null;
    }
    const continued = continuesGroup(this.lastInGroup, m);
    this.insert(this.messageEntry(m, continued));
    this.lastInGroup = {from: m.from, ts: m.ts};
  }

  messageEntry(m, continued) {
    const item = el('li', 'message');
    item.classList.toggle('own', this.isOwn(m));
    item.classList.toggle('mention', this.isMention(m));
    item.classList.toggle('continued', continued);
    item.setAttribute('data-id', String(m.id));
    item.setAttribute('data-from', m.from);
    item.style.setProperty('--hue', String(hueOf(m.from)));
    const meta = el('div', 'meta');
    // A continued message keeps its sender for screen readers and for copying; only the eye is spared it.
    const from = el('span', continued ? 'from visually-hidden' : 'from', m.from);
    if (m.signedIn === true) {
      from.appendChild(signedInBadge());
    }
    meta.appendChild(from);
    meta.appendChild(timeElement(m.ts));
    item.appendChild(meta);
    this.groups.set(item, {from: m.from, ts: m.ts});
    if (this.isDeleted(m.id)) {
      item.classList.add('deleted');
      item.appendChild(removedText());
    } else {
      item.appendChild(textElement(m.text));
      this.decorate(item);
    }
    return item;
  }

  /** A moderator deleted message `id`: if it is shown, its text goes and "removed by a moderator" takes its place. */
  markDeleted(id) {
    const item = this.list.querySelector('li.message[data-id="' + Number(id) + '"]');
    if (item && !item.classList.contains('deleted')) {
      item.classList.add('deleted');
      item.querySelector('.text').replaceWith(removedText());
      item.querySelector('.mod-actions')?.remove();
    }
  }

  /** The id of the oldest message shown, or 0 when none is. */
  oldestId() {
    const first = this.list.querySelector('li.message[data-id]');
    return first ? Number(first.getAttribute('data-id')) : 0;
  }

  earlierState() {
    return this.earlier.getAttribute('data-state') || 'idle';
  }

  /** The line above the oldest message: 'idle' (none), 'loading', 'end' or 'failed'. */
  setEarlierState(state) {
    this.earlier.setAttribute('data-state', state);
    this.earlier.textContent = EARLIER_TEXT[state] || '';
    this.earlier.hidden = !this.earlier.textContent;
  }

  /**
   * Puts older messages (oldest first, all older than what is shown) above the oldest one, with their day lines
   * and groups, and keeps the reader's place: the message that was on top stays where it was on screen.
   */
  prependOlder(messages) {
    const anchor = this.list.querySelector('li.message');
    const anchorTop = anchor ? anchor.getBoundingClientRect().top : 0;
    const older = document.createDocumentFragment();
    let day = '';
    let previous = null;
    for (const m of messages) {
      const at = typeof m.ts === 'number' ? m.ts : Date.now();
      if (dayKey(at) !== day) {
        day = dayKey(at);
        older.appendChild(dayDivider(at));
        previous = null;
      }
      older.appendChild(this.messageEntry(m, continuesGroup(previous, m)));
      previous = {from: m.from, ts: m.ts};
    }
    const seam = this.earlier.nextElementSibling;
    this.list.insertBefore(older, seam);
    this.joinSeam(seam, day, previous);
    if (anchor) {
      this.list.scrollTop += anchor.getBoundingClientRect().top - anchorTop;
    }
  }

  // Where the older page meets what was shown: one day line per day, and a run that continues keeps one header.
  joinSeam(seam, day, previous) {
    let next = seam;
    if (next && next.classList.contains('day-divider') && next.getAttribute('data-day') === day) {
      next = next.nextElementSibling;
      seam.remove();
    }
    if (next && next.classList.contains('message') && continuesGroup(previous, this.groups.get(next) || null)) {
      next.classList.add('continued');
      next.querySelector('.from').classList.add('visually-hidden');
    }
  }

  /**
   * The server could not replay everything since our last id (it fell out of the history, or the server
   * restarted). What is shown stays: it was said. The line marks where something may be missing; what follows
   * has larger ids, so de-duplication by id still holds.
   */
  markGap() {
    this.insert(noticeLine('Some messages may be missing here: the server no longer has them'));
    this.lastInGroup = null;
  }

  /** Another room (its store was wiped): clear what it cannot continue, keeping what we typed. */
  startOver() {
    for (const child of Array.from(this.list.children)) {
      if (!child.classList.contains('pending') && child !== this.earlier) {
        child.remove();
      }
    }
    this.lastDay = '';
    this.lastInGroup = null;
    this.setEarlierState('idle'); // the new room's earlier messages are not loaded yet
    // Not through startDay: the notice is about the gap, and the next message brings its own day line.
    this.insert(noticeLine('Some earlier messages are no longer available'));
  }

  /** A message typed here, shown at the end until the server confirms it; retry() is its Retry button. */
  addPending(p, me, retry) {
    const item = el('li', 'message own pending');
    item.setAttribute('data-cid', p.cid);
    const meta = el('div', 'meta');
    meta.appendChild(el('span', 'from', me));
    item.appendChild(meta);
    item.appendChild(textElement(p.text));
    const line = el('div', 'delivery');
    line.appendChild(el('span', 'delivery-text', 'sending\u2026'));
    const button = el('button', 'retry link', 'Retry');
    button.type = 'button';
    button.hidden = true;
    button.addEventListener('click', retry);
    line.appendChild(button);
    item.appendChild(line);
    this.list.appendChild(item);
    this.scrollToBottom();
  }

  updatePending(p) {
    const item = this.pendingItem(p.cid);
    if (!item) {
      return;
    }
    const failed = p.status === 'failed';
    item.classList.toggle('failed', failed);
    item.querySelector('.delivery-text').textContent = failed ? 'not sent' : 'sending\u2026';
    item.querySelector('.retry').hidden = !failed;
  }

  removePending(p) {
    const item = this.pendingItem(p.cid);
    if (item) {
      item.remove();
    }
  }

  pendingItem(cid) {
    return Array.from(this.list.querySelectorAll('li.pending')).find((li) => li.getAttribute('data-cid') === cid);
  }

  // Real entries go above the pending ones, which stay at the end until the server confirms them.
  insert(node) {
    this.list.insertBefore(node, this.list.querySelector('li.pending'));
    this.trim();
  }

  startDay(ts) {
    const at = typeof ts === 'number' ? ts : Date.now();
    const day = dayKey(at);
    if (day !== this.lastDay) {
      this.lastDay = day;
      this.insert(dayDivider(at));
      this.lastInGroup = null;
    }
  }

  trim() {
    const list = this.list;
    let trimmed = false;
    for (let top = this.earlier.nextElementSibling; list.childElementCount > MAX_RENDERED && top
        && !top.classList.contains('pending'); top = this.earlier.nextElementSibling) {
      top.remove();
      trimmed = true;
    }
    if (trimmed && this.earlier.getAttribute('data-state') === 'end') {
      this.setEarlierState('idle'); // what was trimmed can be loaded again
    }
    // A run whose header was trimmed away gets its header back on its first remaining message.
    const first = list.querySelector('li.message');
    if (first && first.classList.contains('continued')) {
      first.classList.remove('continued');
      first.querySelector('.from').classList.remove('visually-hidden');
    }
  }

  /* ---------- scrolling ---------- */

  /** Before adding what a frame brings: whether the reader is at the bottom (pass it to afterUpdate). */
  beforeUpdate() {
    return this.isAtBottom();
  }

  /** After adding: follow the new messages if the reader was at the bottom, else offer the jump button. */
  afterUpdate(wasAtBottom) {
    if (wasAtBottom) {
      this.scrollToBottom();
    } else {
      this.jump.hidden = false;
    }
  }

  isAtBottom() {
    const list = this.list;
    return list.scrollHeight - list.scrollTop - list.clientHeight <= BOTTOM_SLACK_PX;
  }

  scrollToBottom() {
    this.list.scrollTop = this.list.scrollHeight;
    this.stuck = true;
    this.jump.hidden = true;
  }

  bindScrolling() {
    this.list.addEventListener('scroll', () => {
      this.stuck = this.isAtBottom();
      if (this.stuck) {
        this.jump.hidden = true;
      }
    });
    // When the list itself changes size (phone keyboard, window resize) a reader at the bottom stays there.
    if (window.ResizeObserver) {
      new ResizeObserver(() => {
        if (this.stuck) {
          this.scrollToBottom();
        }
      }).observe(this.list);
    }
  }

  // Touch screens have no hover: holding a finger on a message shows its full date and time until the next touch.
  bindLongPress() {
    let timer = 0;
    const cancel = () => clearTimeout(timer);
    this.list.addEventListener('pointerdown', (event) => {
      this.list.querySelectorAll('.time.show-full').forEach((t) => t.classList.remove('show-full'));
      const item = event.pointerType === 'touch' && event.target.closest('li.message');
      if (item) {
        timer = setTimeout(() => item.querySelector('.time')?.classList.add('show-full'), LONG_PRESS_MS);
      }
    });
    for (const type of ['pointerup', 'pointercancel', 'pointermove']) {
      this.list.addEventListener(type, cancel);
    }
  }
}

function textElement(text) {
  const node = el('div', 'text');
  for (const segment of linkSegments(text)) {
    if (segment.href) {
      const link = el('a', null, segment.text);
      link.href = segment.href;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      node.appendChild(link);
    } else {
      node.appendChild(document.createTextNode(segment.text));
    }
  }
  return node;
}

function removedText() {
  const node = el('div', 'text removed');
  node.appendChild(el('em', null, 'removed by a moderator'));
  return node;
}

// The author was signed in: a name nobody else can claim.
function signedInBadge() {
  const badge = el('span', 'signed-in', '\u2713');
  badge.setAttribute('role', 'img');
  badge.setAttribute('aria-label', 'signed in');
  badge.title = 'Signed in';
  return badge;
}

function timeElement(ts) {
  const date = new Date(typeof ts === 'number' ? ts : Date.now());
  const time = el('time', 'time', pad2(date.getHours()) + ':' + pad2(date.getMinutes()));
  time.setAttribute('datetime', date.toISOString());
  time.title = fullDate(date);
  time.setAttribute('data-full', time.title);
  return time;
}

function systemLine(text, ts) {
  const item = el('li', 'system');
  item.appendChild(el('span', null, text));
  if (typeof ts === 'number') {
    item.title = fullDate(new Date(ts));
  }
  return item;
}

function noticeLine(text) {
  const item = systemLine(text);
  item.classList.add('notice-line');
  return item;
}

function dayDivider(ts) {
  const item = divider('day-divider', dayLabel(ts));
  item.setAttribute('data-day', dayKey(ts));
  return item;
}

function divider(className, label) {
  const item = el('li', className);
  item.appendChild(el('span', null, label));
  return item;
}

function dayLabel(ts) {
  const date = new Date(ts);
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (dayKey(ts) === dayKey(today.getTime())) {
    return 'Today';
  }
  if (dayKey(ts) === dayKey(yesterday.getTime())) {
    return 'Yesterday';
  }
  return date.toLocaleDateString(undefined, {weekday: 'long', year: 'numeric', month: 'long', day: 'numeric'});
}
