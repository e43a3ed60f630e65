/* The nickname form (first visit and renaming) and the POST that binds a name to the HTTP session. */
import {byId} from './dom.js';

/** Resolves to {user} on success or {error: text to show, unreachable?, retryLater?}; never rejects. */
export async function postNickname(contextPath, name) {
  let response;
  try {
    response = await fetch(contextPath + '/index', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Accept': 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8'
      },
      body: 'user=' + encodeURIComponent(name)
    });
  } catch (e) {
    return {error: 'Could not reach the server. Check your connection and try again.', unreachable: true};
  }
  const data = await response.json().catch(() => null);
  if (response.ok && data && typeof data.user === 'string' && data.user) {
    return {user: data.user};
  }
  // 429: too many claims from this address (e.g. a whole office reclaiming after a restart), 503: the nodes' shared
  // name registry (Redis) is out of reach: try again later.
  return {error: nicknameErrorText(response.status, data), retryLater: response.status === 429 || response.status === 503};
}

function nicknameErrorText(status, data) {
  // The server's own wording is preferred (it knows the rule that was broken); it is shown as text only.
  if (data && typeof data.message === 'string' && data.message.trim()) {
    return data.message.trim().slice(0, 200);
  }
  if (status === 400) {
    return 'That nickname is not allowed: use 1 to 32 characters, no control characters.';
  }
  if (status === 409) {
    return 'That nickname is already taken.';
  }
  if (status === 403) {
    return 'The server refused the request. Reload the page and try again.';
  }
  return 'Something went wrong (' + status + '). Try again.';
}

export class NicknameForm {
  /** onAccepted(name): the server bound the name; onClosed(): renaming was cancelled. */
  constructor(contextPath, {onAccepted, onClosed}) {
    this.contextPath = contextPath;
    this.onAccepted = onAccepted;
    this.onClosed = onClosed;
    this.panel = byId('nickname-panel');
    this.form = byId('nickname-form');
    this.input = byId('nickname');
    this.title = byId('nickname-title');
    this.submit = byId('nickname-submit');
    this.error = byId('nickname-error');
    this.cancel = byId('nickname-cancel');
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.send();
    });
    this.cancel.addEventListener('click', () => this.closeRename());
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.renaming) {
        this.closeRename();
      }
    });
  }

  get renaming() {
    return document.body.classList.contains('renaming');
  }

  /** The error a no-script POST left in the page, if any. */
  serverError() {
    return this.error.textContent.trim();
  }

  open(renaming, keepError) {
    document.body.classList.toggle('renaming', renaming);
    this.title.textContent = renaming ? 'Change your name' : 'Join the conversation';
    this.submit.textContent = renaming ? 'Save' : 'Join';
    this.cancel.hidden = !renaming;
    if (!keepError) {
      this.setError('');
    }
    this.panel.hidden = false;
    this.input.focus();
    this.input.select();
  }

  openRename(current, keepError) {
    this.input.value = current;
    this.open(true, keepError);
  }

  closeRename() {
    this.hide();
    this.onClosed();
  }

  hide() {
    document.body.classList.remove('renaming');
    this.panel.hidden = true;
  }

  setError(text) {
    this.error.textContent = text;
    this.input.setAttribute('aria-invalid', text ? 'true' : 'false');
  }

  async send() {
    const name = this.input.value.trim();
    if (!name) {
      this.setError('Choose a nickname first.');
      this.input.focus();
      return;
    }
    this.setBusy(true);
    const result = await postNickname(this.contextPath, name);
    this.setBusy(false);
    if (result.user) {
      this.setError('');
      this.hide();
      this.onAccepted(result.user);
    } else {
      this.setError(result.error);
      this.input.focus();
    }
  }

  setBusy(busy) {
    this.submit.disabled = busy;
    this.form.setAttribute('aria-busy', busy ? 'true' : 'false');
  }
}
