/*
 * What the room allows this page, pure (no DOM, no timers; the clock is passed in): slow mode's countdown, the
 * texts of the mute, kick and ban notices, the ban remembered across reloads and what a closed socket means.
 * The page's side of it is restriction-notices.js. Unit-tested in src/test/js/restrictions.test.js.
 */

/** Where a ban is remembered: epoch ms when it ends, or "forever". */
export const BAN_KEY = 'chat.bannedUntil';
/** Close codes the server uses for a moderator's action. */
export const CLOSE_KICKED = 4001;
export const CLOSE_BANNED = 4003;

/**
 * What the page does after its socket closed with `code`: 'kicked' and 'banned' stay closed until the person
 * acts (or the ban ends); anything else (a restart, a network drop, a handshake refused with 403, which a
 * browser reports as 1006) reconnects with the usual backoff.
 */
export function closeAction(code) {
  if (code === CLOSE_KICKED) {
    return 'kicked';
  }
  if (code === CLOSE_BANNED) {
    return 'banned';
  }
  return 'reconnect';
}

/** Whole seconds until `until` (epoch ms), never negative; a wait still running shows at least 1. */
export function secondsUntil(until, now) {
  return until > now ? Math.ceil((until - now) / 1000) : 0;
}

/**
 * Slow mode: at most one message every `seconds`. After each send (or a `slow_mode` error, which says when the
 * next message may go) the send button counts down. `now()` is the clock, injectable for tests.
 */
export class SlowMode {
  constructor(now = Date.now) {
    this.now = now;
    this.seconds = 0;
    this.until = 0;
  }

  /** The room's setting changed; a countdown longer than the new interval is cut to it. */
  setSeconds(seconds) {
    this.seconds = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
    this.until = Math.min(this.until, this.now() + this.seconds * 1000);
  }

  /** We sent a message: the next one may go one interval later. */
  sent() {
    if (this.seconds > 0) {
      this.until = this.now() + this.seconds * 1000;
    }
  }

  /** The server refused a message: the next may go at `until` (epoch ms), whatever we thought. */
  refusedUntil(until) {
    if (Number.isFinite(until)) {
      this.until = until;
    }
  }

  secondsLeft() {
    return secondsUntil(this.until, this.now());
  }

  /** The composer's note while slow mode is on, else ''. */
  notice() {
    return this.seconds > 0 ? 'Slow mode: one message every ' + this.seconds + ' s' : '';
  }
}

/** The send button's text: "Send", or how long to wait while a countdown runs. */
export function sendLabel(secondsLeft) {
  return secondsLeft > 0 ? 'Wait ' + secondsLeft + ' s' : 'Send';
}

/** A time for a notice: the time of day when it is today, else the date too. */
export function timeText(until, now) {
  const date = new Date(until);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  try {
    return sameDay ? date.toLocaleTimeString(undefined, {hour: '2-digit', minute: '2-digit'})
        : date.toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'});
  } catch (e) {
    return date.toString();
  }
}

function withReason(text, reason) {
  const why = typeof reason === 'string' ? reason.trim().slice(0, 300) : '';
  return why ? text + ': ' + why : text;
}

export function mutedText(until, reason, now) {
  return withReason('You are muted until ' + timeText(until, now), reason);
}

export function kickedText(reason) {
  return withReason('You were removed from the room by a moderator', reason);
}

/** `until` null: for good. */
export function bannedText(until, reason, now) {
  return withReason('You are banned ' + (until === null ? 'for good' : 'until ' + timeText(until, now)), reason);
}

/** The sign-in page, coming back to `path` (this page) afterwards. */
export function signInUrl(contextPath, path) {
  return contextPath + '/login?next=' + encodeURIComponent(path);
}

/**
 * The ban this page was told of, read from `storage` (localStorage): {until} with epoch ms or null (for good),
 * or null when there is none or it has ended (then it is forgotten). Storage that throws counts as empty.
 */
export function rememberedBan(storage, now) {
  let value;
  try {
    value = storage.getItem(BAN_KEY);
  } catch (e) {
    return null;
  }
  if (value === 'forever') {
    return {until: null};
  }
  const until = Number(value);
  if (value !== null && Number.isFinite(until) && until > now) {
    return {until};
  }
  if (value !== null) {
    forgetBan(storage);
  }
  return null;
}

/** Remembers a ban until `until` (epoch ms; null or absent: for good). */
export function rememberBan(storage, until) {
  try {
    storage.setItem(BAN_KEY, Number.isFinite(until) ? String(until) : 'forever');
  } catch (e) {
    // Private modes may refuse storage: the notice still shows on this page, a reload meets the server's 403.
  }
}

export function forgetBan(storage) {
  try {
    storage.removeItem(BAN_KEY);
  } catch (e) {
    // nothing remembered, nothing to forget
  }
}
