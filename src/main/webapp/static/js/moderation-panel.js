/*
 * The moderators' panel (a <details> under the rooms): the room's settings (slow mode, guests may post), the
 * bans with "Lift", the mutes with "Unmute" and the audit, newest first, paged. Lists load when the panel is
 * opened and after each action; every failure is a line in the panel's status, never an exception.
 * The line texts are pure functions, unit-tested in src/test/js/moderation-panel.test.js.
 */
import {byId, el} from './dom.js';
import {timeText} from './restrictions.js';

export const AUDIT_PAGE = 50;

function byWhom(entry) {
  const by = typeof entry.by === 'string' && entry.by ? ' \u00b7 by ' + entry.by : '';
  const why = typeof entry.reason === 'string' && entry.reason ? ': ' + entry.reason : '';
  return by + why;
}

/** "bob · address 203.0.113.7 · until 14:30 · by ana: spam"; until null is for good. */
export function banLine(ban, now) {
  const who = [ban.user, ban.address ? 'address ' + ban.address : ''].filter(Boolean).join(' \u00b7 ');
  const until = Number.isFinite(ban.until) ? 'until ' + timeText(ban.until, now) : 'for good';
  return (who || 'unknown') + ' \u00b7 ' + until + byWhom(ban);
}

/** Who a ban is on, for its Lift button's name. */
export function banTarget(ban) {
  return ban.user || (ban.address ? 'address ' + ban.address : 'unknown');
}

export function muteLine(mute, now) {
  return mute.user + ' \u00b7 until ' + timeText(mute.until, now) + byWhom(mute);
}

/** "14:02 ana: ban bob (#general): spam". */
export function auditLine(entry, now) {
  const when = Number.isFinite(entry.at) ? timeText(entry.at, now) + ' ' : '';
  const target = entry.target ? ' ' + entry.target : '';
  const room = entry.room ? ' (#' + entry.room + ')' : '';
  const why = entry.reason ? ': ' + entry.reason : '';
  return when + entry.by + ': ' + entry.action + target + room + why;
}

/** The entries of a list answer (`{bans:[...]}` and the like) that are objects, or none. */
export function entriesOf(data, key) {
  const list = data && Array.isArray(data[key]) ? data[key] : [];
  return list.filter((entry) => entry && typeof entry === 'object');
}

export class ModerationPanel {
  constructor({api, room}) {
    this.api = api;
    this.room = room;
    this.panel = byId('moderation-panel');
    this.status = byId('mod-status');
    this.slow = byId('mod-slow');
    this.guests = byId('mod-guests');
    this.bans = byId('mod-bans');
    this.mutes = byId('mod-mutes');
    this.audit = byId('mod-audit');
    this.more = byId('mod-audit-more');
    this.auditBefore = null;
    this.panel.addEventListener('toggle', () => this.refresh());
    byId('mod-refresh').addEventListener('click', () => this.refresh());
    this.more.addEventListener('click', () => this.loadAudit(false));
    byId('mod-room-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.saveSettings();
    });
  }

  enable(on) {
    this.panel.hidden = !on;
  }

  /** The room's settings as the server last said them (welcome or rules frame). */
  showRules(rules) {
    if (Number.isFinite(rules.slowModeSeconds) && document.activeElement !== this.slow) {
      this.slow.value = String(rules.slowModeSeconds);
    }
    if (typeof rules.guestsMayPost === 'boolean') {
      this.guests.checked = rules.guestsMayPost;
    }
  }

  report(text) {
    this.status.textContent = text;
  }

  /** Reloads the lists, only while the panel is open (a closed one loads when opened). */
  refresh() {
    if (this.panel.open && !this.panel.hidden) {
      this.loadBans();
      this.loadMutes();
      this.loadAudit(true);
    }
  }

  async saveSettings() {
    const seconds = Number(this.slow.value);
    if (!Number.isInteger(seconds) || seconds < 0) {
      this.report('Slow mode: a whole number of seconds, 0 for off');
      this.slow.setAttribute('aria-invalid', 'true');
      return;
    }
    this.slow.removeAttribute('aria-invalid');
    const result = await this.api.saveRoomSettings(this.room, seconds, this.guests.checked);
    if (result.ok) {
      this.showRules(result.data || {});
      this.report('Room settings saved');
      this.loadAudit(true);
    } else {
      this.report('Could not save the settings: ' + result.error);
    }
  }

  loadBans() {
    return this.loadList(this.bans, 'bans', () => this.api.bans(), (ban, now) =>
        this.row(banLine(ban, now), 'Lift', 'Lift ban on ' + banTarget(ban), () => this.lift(ban)));
  }

  loadMutes() {
    return this.loadList(this.mutes, 'mutes', () => this.api.mutes(), (mute, now) =>
        this.row(muteLine(mute, now), 'Unmute', 'Unmute ' + mute.user, () => this.unmute(mute)));
  }

  /** Fills `list` from the answer's `key` entries, one row(entry, now) each, or says none; failures go to status. */
  async loadList(list, key, call, row) {
    const result = await call();
    if (!result.ok) {
      this.report('Could not load the ' + key + ': ' + result.error);
      return;
    }
    const now = Date.now();
    const entries = entriesOf(result.data, key);
    list.replaceChildren(...(entries.length ? entries.map((entry) => row(entry, now)) : [el('li', 'empty', 'None')]));
  }

  /** first: the newest page, replacing what is shown; else the page older than the last entry shown. */
  async loadAudit(first) {
    const result = await this.api.audit(first ? null : this.auditBefore, AUDIT_PAGE);
    if (!result.ok) {
      this.report('Could not load the audit: ' + result.error);
      return;
    }
    const entries = entriesOf(result.data, 'entries').filter((e) => Number.isFinite(e.id));
    const now = Date.now();
    const items = entries.map((entry) => el('li', null, auditLine(entry, now)));
    if (first) {
      this.audit.replaceChildren(...(items.length ? items : [el('li', 'empty', 'Nothing yet')]));
    } else {
      this.audit.append(...items);
    }
    if (entries.length > 0) {
      this.auditBefore = entries[entries.length - 1].id;
    }
    this.more.hidden = entries.length < AUDIT_PAGE;
  }

  async lift(ban) {
    const result = await this.api.liftBan(ban.id);
    this.report(result.ok ? 'Ban on ' + banTarget(ban) + ' lifted' : 'Could not lift the ban: ' + result.error);
    this.refresh();
  }

  async unmute(mute) {
    const result = await this.api.unmute(mute.user);
    this.report(result.ok ? mute.user + ' may post again' : 'Could not unmute ' + mute.user + ': ' + result.error);
    this.refresh();
  }

  row(text, buttonText, label, onClick) {
    const item = el('li', null, text);
    const button = el('button', 'link', buttonText);
    button.type = 'button';
    button.setAttribute('aria-label', label);
    button.addEventListener('click', onClick);
    item.append(' ', button);
    return item;
  }
}
