/*
 * A moderator's controls on the conversation: on each message "Delete" (confirmed in a dialog) and "Moderate"
 * (its author), on each other person in the online list "Moderate"; the person's dialog kicks, mutes, bans or
 * purges their recent messages. The calls are moderation-api.js's; what they change reaches every page as frames.
 * Nothing here exists on a page whose welcome did not say "moderator".
 */
import {byId, el} from './dom.js';
import {wholeMinutes} from './moderation-api.js';
import {timeText} from './restrictions.js';

// How much of a message the delete dialog quotes, so the moderator knows which one they are removing.
const QUOTE_CHARS = 120;

function smallButton(className, text, label) {
  const button = el('button', className + ' link', text);
  button.type = 'button';
  button.setAttribute('aria-label', label);
  return button;
}

export class ModerationTools {
  /**
   * report(text): where results and errors go (the panel's status); onDeleted(id): a delete was accepted;
   * onChanged(): a ban, mute or kick was made (lists to refresh).
   */
  constructor({api, room, list, users, isMe, report, onDeleted, onChanged}) {
    this.api = api;
    this.isMe = isMe;
    this.room = room;
    this.list = list;
    this.report = report;
    this.onDeleted = onDeleted;
    this.onChanged = onChanged;
    this.enabled = false;
    this.target = '';
    this.deleteDialog = new DeleteDialog();
    this.bindUserDialog();
    list.addEventListener('click', (event) => this.clicked(event));
    users.addEventListener('click', (event) => this.clicked(event));
  }

  /** The welcome said whether we moderate: controls on every message shown, or none. */
  enable(on) {
    this.enabled = on;
    for (const item of this.list.querySelectorAll('li.message[data-id]')) {
      item.querySelector('.mod-actions')?.remove();
      this.decorateMessage(item);
    }
  }

  decorateMessage(item) {
    if (!this.enabled || item.classList.contains('deleted')) {
      return;
    }
    const from = item.getAttribute('data-from');
    const actions = el('div', 'mod-actions');
    actions.appendChild(smallButton('mod-delete', 'Delete', 'Delete message from ' + from));
    if (!this.isMe(from)) { // a moderator cannot be kicked, muted or banned, least of all by themselves
      const moderate = smallButton('mod-user', 'Moderate', 'Moderate ' + from);
      moderate.setAttribute('aria-haspopup', 'dialog');
      actions.appendChild(moderate);
    }
    item.appendChild(actions);
  }

  decorateUser(item, name) {
    if (this.enabled) {
      const button = smallButton('mod-user', 'Moderate', 'Moderate ' + name);
      button.setAttribute('aria-haspopup', 'dialog');
      button.setAttribute('data-user', name);
      // The name in a box of its own, so a long one ends in an ellipsis before the button, not under it.
      item.replaceChildren(el('span', 'user-name', name), button);
    }
  }

  clicked(event) {
    const button = event.target.closest('button.mod-delete, button.mod-user');
    if (!button || !this.enabled) {
      return;
    }
    const item = button.closest('li.message');
    if (button.classList.contains('mod-delete')) {
      this.confirmDelete(item);
    } else {
      this.openUser(button.getAttribute('data-user') || item.getAttribute('data-from'), button);
    }
  }

  async confirmDelete(item) {
    const id = Number(item.getAttribute('data-id'));
    const from = item.getAttribute('data-from');
    const text = item.querySelector('.text')?.textContent || '';
    const quote = text.length > QUOTE_CHARS ? text.slice(0, QUOTE_CHARS) + '\u2026' : text;
    if (!await this.deleteDialog.ask(from + ': \u201c' + quote + '\u201d')) {
      return;
    }
    const result = await this.api.deleteMessage(id, this.room);
    if (result.ok) {
      this.report('Message from ' + from + ' deleted');
      this.onDeleted(id);
      this.list.focus(); // the button that had focus went with the message's controls
    } else {
      this.report('Could not delete the message: ' + result.error);
    }
  }

  /* ---------- one person's dialog ---------- */

  bindUserDialog() {
    this.dialog = byId('user-dialog');
    this.status = byId('user-dialog-status');
    byId('user-dialog-close').addEventListener('click', () => this.dialog.close());
    byId('mod-ban-forever').addEventListener('change', (event) => {
      byId('mod-ban-minutes').disabled = event.target.checked;
    });
    const actions = {
      'mod-kick': () => this.kick(),
      'mod-mute': () => this.mute(),
      'mod-ban': () => this.ban(),
      'mod-purge': () => this.purge()
    };
    for (const [id, action] of Object.entries(actions)) {
      byId(id).addEventListener('click', () => this.run(byId(id), action));
    }
  }

  openUser(name, opener) {
    this.target = name;
    byId('user-dialog-name').textContent = name;
    this.status.textContent = '';
    byId('mod-reason').value = '';
    this.dialog.showModal();
    this.dialog.addEventListener('close', () => opener.isConnected && opener.focus(), {once: true});
  }

  /** One action at a time: its button waits, and the outcome is said in the dialog and the panel. */
  async run(button, action) {
    button.disabled = true;
    this.status.textContent = 'Working\u2026';
    try {
      const text = await action();
      this.status.textContent = text;
      this.report(text);
    } finally {
      button.disabled = false;
    }
  }

  reason() {
    return byId('mod-reason').value.trim();
  }

  async kick() {
    const result = await this.api.kick(this.target, this.reason());
    this.onChanged();
    return result.ok ? this.target + ' was removed from the room'
        : 'Could not kick ' + this.target + ': ' + result.error;
  }

  async mute() {
    const minutes = wholeMinutes(byId('mod-mute-minutes').value);
    if (minutes === null) {
      return 'Mute: minutes must be a whole number from 1';
    }
    const result = await this.api.mute(this.target, minutes, this.reason());
    this.onChanged();
    if (!result.ok) {
      return 'Could not mute ' + this.target + ': ' + result.error;
    }
    const until = result.data && Number.isFinite(result.data.until) ? result.data.until : Date.now() + minutes * 60000;
    return this.target + ' is muted until ' + timeText(until, Date.now());
  }

  async ban() {
    const forever = byId('mod-ban-forever').checked;
    const minutes = forever ? null : wholeMinutes(byId('mod-ban-minutes').value);
    if (!forever && minutes === null) {
      return 'Ban: minutes must be a whole number from 1, or tick "For good"';
    }
    const result = await this.api.ban(this.target, minutes, this.reason(), byId('mod-ban-address').checked);
    this.onChanged();
    if (!result.ok) {
      return 'Could not ban ' + this.target + ': ' + result.error;
    }
    return this.target + ' is banned ' + (forever ? 'for good' : 'for ' + minutes + ' min');
  }

  async purge() {
    const minutes = wholeMinutes(byId('mod-purge-minutes').value);
    if (minutes === null) {
      return 'Purge: minutes must be a whole number from 1';
    }
    const result = await this.api.purge(this.target, minutes, this.room);
    this.onChanged();
    if (!result.ok) {
      return 'Could not purge ' + this.target + '\u2019s messages: ' + result.error;
    }
    const count = result.data && Number.isInteger(result.data.deleted) ? result.data.deleted : 0;
    return count === 1 ? '1 message removed' : count + ' messages removed';
  }
}

/** "Delete this message?": resolves true when the moderator confirms, false on Cancel or Escape. */
class DeleteDialog {
  constructor() {
    this.dialog = byId('delete-dialog');
    this.what = byId('delete-what');
    byId('delete-cancel').addEventListener('click', () => this.dialog.close('cancel'));
    byId('delete-confirm').addEventListener('click', () => this.dialog.close('delete'));
  }

  ask(quote) {
    this.what.textContent = quote;
    this.dialog.returnValue = '';
    this.dialog.showModal();
    byId('delete-cancel').focus(); // the safe choice first
    return new Promise((resolve) => {
      this.dialog.addEventListener('close', () => resolve(this.dialog.returnValue === 'delete'), {once: true});
    });
  }
}
