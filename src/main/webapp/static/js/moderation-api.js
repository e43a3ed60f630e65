/*
 * The moderation HTTP API (/moderation/...), the only place the page calls it. Every call is same-origin with
 * the session cookie, JSON in and out, and resolves to {ok, status, data, error}: it never throws, so a
 * failure (signed out, not a moderator, unknown person, network down) is a text to show, not an exception.
 * `fetch` is injectable for tests (src/test/js/moderation-api.test.js).
 */

const ERROR_TEXT = {
  401: 'You are signed out. Sign in again to moderate.',
  403: 'Not allowed: only a moderator can do that (and never to another moderator).',
  404: 'Not found: the message or person is gone, or not online.',
  400: 'The server could not accept that request.'
};

/** What to tell the moderator about a failed call: the server's message when it gave one, else the status's. */
export function errorText(status, data) {
  if (data && typeof data.message === 'string' && data.message.trim()) {
    return data.message.trim().slice(0, 200);
  }
  if (status === 0) {
    return 'Could not reach the server. Check your connection and try again.';
  }
  return ERROR_TEXT[status] || 'Something went wrong (' + status + '). Try again.';
}

/** Minutes as the API wants them: a whole number from 1, or null for anything else. */
export function wholeMinutes(value) {
  const minutes = Number(value);
  return Number.isInteger(minutes) && minutes >= 1 ? minutes : null;
}

export class ModerationApi {
  constructor(contextPath, fetchFn = (...args) => fetch(...args)) {
    this.base = contextPath + '/moderation';
    this.fetch = fetchFn;
  }

  deleteMessage(id, room) {
    return this.call('DELETE', '/messages/' + encodeURIComponent(id) + '?room=' + encodeURIComponent(room));
  }

  purge(user, minutes, room) {
    return this.call('POST', '/purge', {user, minutes, room});
  }

  kick(user, reason) {
    return this.call('POST', '/kick', {user, reason});
  }

  mute(user, minutes, reason) {
    return this.call('POST', '/mutes', {user, minutes, reason});
  }

  mutes() {
    return this.call('GET', '/mutes');
  }

  unmute(user) {
    return this.call('DELETE', '/mutes/' + encodeURIComponent(user));
  }

  /** minutes null: for good. */
  ban(user, minutes, reason, address) {
    const body = {user, reason, address: Boolean(address)};
    if (minutes !== null) {
      body.minutes = minutes;
    }
    return this.call('POST', '/bans', body);
  }

  bans() {
    return this.call('GET', '/bans');
  }

  liftBan(id) {
    return this.call('DELETE', '/bans/' + encodeURIComponent(id));
  }

  roomSettings(room) {
    return this.call('GET', '/rooms/' + encodeURIComponent(room));
  }

  saveRoomSettings(room, slowModeSeconds, guestsMayPost) {
    return this.call('PUT', '/rooms/' + encodeURIComponent(room), {slowModeSeconds, guestsMayPost});
  }

  /** Newest first; `before` (an entry id) pages towards older ones. */
  audit(before = null, limit = 50) {
    return this.call('GET', '/audit?limit=' + limit + (before === null ? '' : '&before=' + encodeURIComponent(before)));
  }

  async call(method, path, body) {
    const init = {method, credentials: 'same-origin', headers: {Accept: 'application/json'}};
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await this.fetch(this.base + path, init);
    } catch (e) {
      return {ok: false, status: 0, data: null, error: errorText(0, null)};
    }
    // 204 has no body, and an error page from a proxy is not JSON: both read as no data.
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    return response.ok ? {ok: true, status: response.status, data, error: ''}
        : {ok: false, status: response.status, data, error: errorText(response.status, data)};
  }
}
