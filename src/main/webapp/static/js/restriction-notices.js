/*
 * What the room's rules and a moderator's actions do to this page: slow mode's note and the send button's
 * countdown, "guests may only read" (composer off, a sign-in link), a mute until a time, a kick (a Rejoin
 * button, no automatic reconnect) and a ban (no socket until it ends, remembered across reloads). The notes are
 * polite live regions, so screen readers hear each once. The decisions are restrictions.js's.
 */
import {el} from './dom.js';
import {
  SlowMode, bannedText, closeAction, forgetBan, kickedText, mutedText, rememberBan, rememberedBan, sendLabel,
  signInUrl
} from './restrictions.js';

const TICK_MS = 250;
// setTimeout's longest wait; a longer ban is checked again when its timer fires.
const MAX_TIMER_MS = 2147483647;

export class Restrictions {
  /** onRejoin(): the person asked to come back (after a kick) or a ban ended: connect again. */
  constructor({input, send, rulesNote, restriction, contextPath, onRejoin, storage = localStorage}) {
    this.input = input;
    this.send = send;
    this.rulesNote = rulesNote;
    this.text = restriction.querySelector('.restriction-text');
    this.action = restriction.querySelector('.restriction-action');
    this.contextPath = contextPath;
    this.onRejoin = onRejoin;
    this.storage = storage;
    this.slow = new SlowMode();
    this.moderator = false;
    this.signedIn = false;
    this.mayPost = true;
    this.mute = null; // {until, reason}
    this.halt = null; // {kind: 'kicked'|'banned', text}
    this.tickTimer = 0;
    this.banTimer = 0;
  }

  /** On page load: a ban remembered from before keeps the socket closed. True when one does. */
  restore() {
    const ban = rememberedBan(this.storage, Date.now());
    if (ban) {
      this.stay('banned', bannedText(ban.until, '', Date.now()));
      this.awaitBanEnd(ban.until);
    }
    return ban !== null;
  }

  mayConnect() {
    return this.halt === null;
  }

  welcome(frame) {
    // Welcomed: whatever kept us away is over (a lifted ban, a rejoin).
    this.halt = null;
    forgetBan(this.storage);
    clearTimeout(this.banTimer);
    this.moderator = frame.moderator === true;
    this.signedIn = frame.signedIn === true;
    this.mayPost = frame.mayPost !== false;
    this.mute = Number.isFinite(frame.mutedUntil) ? {until: frame.mutedUntil, reason: ''} : null;
    this.applyRules(frame.rules || {});
  }

  /** A `rules` frame, or the welcome's rules. */
  applyRules(rules) {
    if (Number.isFinite(rules.slowModeSeconds)) {
      this.slow.setSeconds(rules.slowModeSeconds);
    }
    if (typeof rules.mayPost === 'boolean') {
      this.mayPost = rules.mayPost;
    }
    this.render();
  }

  muted(frame) {
    if (Number.isFinite(frame.until)) {
      this.mute = {until: frame.until, reason: frame.reason};
      this.render();
    }
  }

  unmuted() {
    this.mute = null;
    this.render();
  }

  /** An error frame about what the room allows; true when it was one. */
  refused(frame) {
    switch (frame.code) {
      case 'muted':
        this.muted(frame);
        return true;
      case 'slow_mode':
        this.slow.refusedUntil(frame.until);
        this.render();
        return true;
      case 'read_only':
        this.mayPost = false;
        this.render();
        return true;
      default:
        return false;
    }
  }

  /** A message went out: slow mode counts down to the next one (moderators are not held to it). */
  sent() {
    if (!this.moderator) {
      this.slow.sent();
      this.render();
    }
  }

  kicked(reason) {
    this.stay('kicked', kickedText(reason));
  }

  /** until: epoch ms, or null for good. */
  banned(until, reason) {
    const end = Number.isFinite(until) ? until : null;
    rememberBan(this.storage, end);
    this.stay('banned', bannedText(end, reason, Date.now()));
    this.awaitBanEnd(end);
  }

  /** The socket closed: a kick or a ban the frames did not announce (an older node, a lost frame) still holds. */
  closed(event) {
    const action = closeAction(event.code);
    if (action === 'kicked' && this.halt === null) {
      this.kicked(event.reason);
    } else if (action === 'banned' && this.halt?.kind !== 'banned') {
      // Without the banned frame we do not know until when: this page stays away, a reload asks the server again.
      this.stay('banned', 'You are banned from this room');
    }
  }

  stay(kind, text) {
    this.halt = {kind, text};
    this.render();
  }

  awaitBanEnd(until) {
    clearTimeout(this.banTimer);
    if (until !== null) {
      this.banTimer = setTimeout(() => {
        if (rememberedBan(this.storage, Date.now()) === null) {
          this.rejoin();
        } else {
          this.awaitBanEnd(until);
        }
      }, Math.min(MAX_TIMER_MS, Math.max(0, until - Date.now()) + 1000));
    }
  }

  rejoin() {
    this.halt = null;
    this.render();
    this.onRejoin();
  }

  /** Brings the composer, the notes and the send button in line with the state; ticks while a clock runs. */
  render() {
    const now = Date.now();
    if (this.mute && this.mute.until <= now) {
      this.mute = null;
    }
    setText(this.rulesNote, this.slow.notice());
    const waiting = this.slow.secondsLeft();
    const blocked = this.halt !== null || !this.mayPost || this.mute !== null;
    this.input.disabled = blocked;
    this.send.disabled = blocked || waiting > 0;
    setText(this.send, sendLabel(blocked ? 0 : waiting));
    this.renderRestriction(now);
    clearInterval(this.tickTimer);
    this.tickTimer = 0;
    if (waiting > 0 || this.mute !== null) {
      this.tickTimer = setInterval(() => this.render(), TICK_MS);
    }
  }

  renderRestriction(now) {
    const key = this.halt ? this.halt.kind : !this.mayPost ? 'read-only' : this.mute ? 'muted' : '';
    if (this.action.getAttribute('data-for') !== key) {
      this.action.setAttribute('data-for', key);
      this.action.replaceChildren(...this.actionFor(key));
    }
    setText(this.text, this.halt ? this.halt.text
        : !this.mayPost ? 'Guests may only read in this room.'
        : this.mute ? mutedText(this.mute.until, this.mute.reason, now) : '');
  }

  actionFor(key) {
    if (key === 'kicked') {
      return [this.button('Rejoin', () => this.rejoin())];
    }
    if (key === 'banned') {
      // The ban may have been lifted early: asking again is one handshake, and only when the person clicks.
      return [this.button('Check again', () => {
        forgetBan(this.storage);
        this.rejoin();
      })];
    }
    if (key === 'read-only' && !this.signedIn) {
      const link = el('a', 'link', 'Sign in to post');
      link.href = signInUrl(this.contextPath, location.pathname + location.search);
      return [link];
    }
    return [];
  }

  button(text, onClick) {
    const button = el('button', 'link', text);
    button.type = 'button';
    button.addEventListener('click', onClick);
    return button;
  }
}

// Rewriting the same text would make a live region announce it again.
function setText(node, text) {
  if (node.textContent !== text) {
    node.textContent = text;
  }
}
