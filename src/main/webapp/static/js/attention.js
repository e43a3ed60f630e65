/*
 * Getting the user's attention while the tab is hidden: the unread count in the title and, for mentions, a
 * desktop notification. Notifications are asked for only when the user clicks the bell, never on load.
 */
import {Unread} from './unread.js';

const OPT_IN_KEY = 'chatroom.notifications';
// Without storage (some private modes throw on access) the choice lasts as long as the page.
let optIn = 'off';

function readOptIn() {
  try {
    return localStorage.getItem(OPT_IN_KEY) || optIn;
  } catch (e) {
    return optIn;
  }
}

function writeOptIn(value) {
  optIn = value;
  try {
    localStorage.setItem(OPT_IN_KEY, value);
  } catch (e) {
    // kept in optIn only
  }
}

export class Attention {
  constructor(bell) {
    this.baseTitle = document.title;
    this.unread = new Unread();
    this.bell = bell;
    this.unread.setHidden(document.visibilityState === 'hidden');
    document.addEventListener('visibilitychange', () => {
      this.unread.setHidden(document.visibilityState === 'hidden');
      this.updateTitle();
    });
    if (bell && 'Notification' in window) {
      bell.hidden = false;
      bell.addEventListener('click', () => this.toggleNotifications());
      this.updateBell();
    }
  }

  /** A message arrived; returns true when it is the first unread one (the divider goes before it). */
  arrived(message, mention) {
    const first = this.unread.arrived(mention);
    this.updateTitle();
    if (mention && this.unread.hidden && this.notificationsOn()) {
      this.notify(message);
    }
    return first;
  }

  updateTitle() {
    const title = this.unread.title(this.baseTitle);
    if (document.title !== title) {
      document.title = title;
    }
  }

  notificationsOn() {
    return 'Notification' in window && Notification.permission === 'granted' && readOptIn() === 'on';
  }

  async toggleNotifications() {
    if (this.notificationsOn()) {
      writeOptIn('off');
    } else {
      const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
      writeOptIn(permission === 'granted' ? 'on' : 'off');
    }
    this.updateBell();
  }

  updateBell() {
    const on = this.notificationsOn();
    this.bell.setAttribute('aria-pressed', on ? 'true' : 'false');
    const denied = Notification.permission === 'denied';
    this.bell.title = denied ? 'Notifications are blocked in this browser\'s site settings'
        : on ? 'Notify me when someone mentions me (on)' : 'Notify me when someone mentions me';
  }

  notify(message) {
    try {
      const notification = new Notification(message.from + ' mentioned you', {
        body: message.text.slice(0, 200),
        tag: 'chatroom-mention'
      });
      notification.addEventListener('click', () => {
        window.focus();
        notification.close();
      });
    } catch (e) {
      // Some browsers (Android Chrome) only notify through a service worker; the title still counts.
    }
  }
}
