/*
 * The socket: connect with ?since=, reconnect by itself with backoff, say so on the status line. What the frames
 * mean is the caller's business (main.js); this module only knows the connection's life.
 */
import {backoffDelay, nextAttempt, secondsLeft} from './backoff.js';

export class Connection {
  /**
   * url(): the socket URL to use now (it carries the resume point); onFrame(ws, data): a frame from the current
   * socket; onLost(): the current socket is gone, on purpose or not; onClosed(event): the server or the network
   * closed the current socket (its close event, with the code); mayConnect(): false while the page must stay
   * away (kicked, banned), checked before every attempt, its own or the caller's.
   */
  constructor({url, onFrame, onLost, status, onClosed = () => {}, mayConnect = () => true}) {
    this.url = url;
    this.onFrame = onFrame;
    this.onLost = onLost;
    this.onClosed = onClosed;
    this.mayConnect = mayConnect;
    this.status = status;
    this.socket = null;
    // True once the server welcomed this socket: only then may messages be sent on it.
    this.ready = false;
    this.attempt = 0;
    this.retryTimer = 0;
    this.countdownTimer = 0;
  }

  get active() {
    return this.socket !== null;
  }

  isCurrent(ws) {
    return ws === this.socket;
  }

  /** Connects now, first dropping any current socket; a fresh start (new name, back online) passes fresh. */
  connect(fresh = false) {
    if (fresh) {
      this.attempt = 0;
    }
    this.clearRetry();
    this.drop();
    if (!this.mayConnect()) {
      return;
    }
    let ws;
    try {
      ws = new WebSocket(this.url(), 'chat.v1');
    } catch (e) {
      this.scheduleReconnect();
      return;
    }
    this.socket = ws;
    if (this.attempt === 0) {
      this.status.show('connecting', 'Connecting\u2026');
    } else {
      this.status.show('reconnecting', 'Reconnecting\u2026');
    }
    // Events of a socket we already replaced (name change, resync) are ignored, so it cannot schedule a
    // reconnect or render into the list behind the current one's back.
    ws.addEventListener('message', (event) => {
      if (ws === this.socket) {
        this.onFrame(ws, event.data);
      }
    });
    ws.addEventListener('close', (event) => {
      if (ws === this.socket) {
        this.socket = null;
        this.ready = false;
        this.onLost();
        this.onClosed(event);
        if (this.mayConnect()) {
          this.scheduleReconnect();
        } else {
          this.status.show('idle', 'Not connected');
        }
      }
    });
  }

  /** Forgets the current socket on purpose (it will not trigger a reconnect) and closes it. */
  drop() {
    const old = this.socket;
    this.socket = null;
    this.ready = false;
    this.onLost();
    if (old) {
      try {
        old.close(1000, 'reconnecting');
      } catch (e) {
        // Already closing: nothing to do.
      }
    }
  }

  /** The server welcomed us: the backoff starts over and sends may go out. */
  markReady() {
    this.ready = true;
    this.attempt = 0;
    this.status.show('connected', 'Connected');
  }

  canSend() {
    return this.ready && this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends one chat.v1 object; throws if the socket is going away (its close event then re-queues). */
  send(object) {
    this.socket.send(JSON.stringify(object));
  }

  scheduleReconnect() {
    this.clearRetry();
    const delay = backoffDelay(this.attempt);
    this.attempt = nextAttempt(this.attempt);
    const due = Date.now() + delay;
    const tick = () => {
      if (!navigator.onLine) {
        this.status.show('offline', 'Offline');
      } else {
        this.status.show('reconnecting', 'Reconnecting in ' + secondsLeft(due, Date.now()) + ' s\u2026');
      }
    };
    tick();
    this.countdownTimer = setInterval(tick, 250);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  clearRetry() {
    clearTimeout(this.retryTimer);
    clearInterval(this.countdownTimer);
    this.retryTimer = 0;
    this.countdownTimer = 0;
  }

  offline() {
    // An open socket may well survive a short drop (and localhost never drops): let it be the judge.
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
      this.status.show('offline', 'Offline');
    }
  }
}
