/*
 * Chatroom browser client: wires the page's modules together and reads what the server sends.
 *
 * Speaks the chat.v1 protocol on /message (see DESIGN.md "Wire protocol"): renders the history embedded in the
 * page, then resumes the socket with ?since=<last id shown> so nothing is missed or shown twice, reconnects by
 * itself with backoff, and keeps typed messages until the server has echoed them back.
 *
 * Modules in js/:
 *   frames.js, pending.js, backoff.js, grouping.js, unread.js, text.js, scrollback.js  pure logic, unit-tested (src/test/js)
 *   connection.js  the socket's life        messages-view.js  the message list
 *   nickname.js    the nickname form        composer.js       the input and its counter
 *   presence.js    who is online            attention.js      unread title, mention notifications
 *   older-messages.js  scrollback: older pages from /history as the reader scrolls up (scrollback.js decides)
 *   deletions.js, restrictions.js  pure: deleted ids; slow mode, ban memory, what a close code means
 *   restriction-notices.js  slow mode, read-only, mute, kick and ban as this page lives them
 *   moderation-api.js  the /moderation HTTP calls   moderation-tools.js, moderation-panel.js  a moderator's controls
 */
import {Attention} from './js/attention.js';
import {Composer} from './js/composer.js';
import {Connection} from './js/connection.js';
import {DeletedIds, deletedId} from './js/deletions.js';
import {byId} from './js/dom.js';
import {SeenIds, isMessage, parseFrame, parseHistory} from './js/frames.js';
import {MessagesView} from './js/messages-view.js';
import {ModerationApi} from './js/moderation-api.js';
import {ModerationPanel} from './js/moderation-panel.js';
import {ModerationTools} from './js/moderation-tools.js';
import {OlderMessages} from './js/older-messages.js';
import {NicknameForm, postNickname} from './js/nickname.js';
import {PendingSends, isOwnMessage, makeCidPrefix} from './js/pending.js';
import {Presence} from './js/presence.js';
import {Restrictions} from './js/restriction-notices.js';
import {RoomForm, RoomsList} from './js/rooms.js';
import {StatusLine} from './js/status.js';
import {mentions} from './js/text.js';

const NOTICE_MS = 4000;
const GUEST_NAME = /^guest-\d+$/;
const ERROR_TEXT = {
  too_long: 'Message too long',
  rate_limited: 'Slow down: too many messages',
  bad_request: 'The server could not read that message',
  unavailable: 'Chat is unavailable right now, try again shortly',
  muted: 'You are muted: the message was not sent',
  slow_mode: 'Slow mode: wait before sending again',
  read_only: 'Sign in to post in this room'
};

class ChatApp {
  constructor(body) {
    this.contextPath = body.getAttribute('data-context-path') || '';
    this.me = body.getAttribute('data-user') || '';
    this.maxLength = parseInt(body.getAttribute('data-max-length'), 10) || 2000;
    this.defaultRoom = body.getAttribute('data-default-room') || '';
    this.room = body.getAttribute('data-room') || this.defaultRoom;
    // The default room speaks exactly as before rooms existed: no room in its URLs.
    const roomParameter = this.room === this.defaultRoom ? null : this.room;
    this.chat = byId('chat');
    this.meBox = byId('me');
    this.meName = byId('me-name');
    this.notice = byId('notice');
    this.noticeTimer = 0;

    this.seen = new SeenIds();
    this.deleted = new DeletedIds();
    this.pending = new PendingSends(makeCidPrefix(), (p) => this.view.updatePending(p));
    this.attention = new Attention(byId('notify'));
    this.presence = new Presence(byId('users'), byId('user-count'),
        (item, name) => this.tools.decorateUser(item, name));
    this.view = new MessagesView(byId('messages'), byId('jump'), {
      isOwn: (m) => isOwnMessage(m, this.me),
      isMention: (m) => !isOwnMessage(m, this.me) && mentions(m.text, this.me),
      isDeleted: (id) => this.deleted.has(id),
      decorate: (item) => this.tools.decorateMessage(item)
    });
    const api = new ModerationApi(this.contextPath);
    this.panel = new ModerationPanel({api, room: this.room});
    this.tools = new ModerationTools({
      api,
      room: this.room,
      list: byId('messages'),
      users: byId('users'),
      isMe: (name) => name === this.me,
      report: (text) => this.panel.report(text),
      onDeleted: (id) => this.onDeleted(id),
      onChanged: () => this.panel.refresh()
    });
    this.older = new OlderMessages(this.contextPath, this.view, () => this.seen.lastId, roomParameter);
    this.roomParameter = roomParameter;
    this.rooms = new RoomsList(byId('rooms'), this.contextPath, this.room, this.defaultRoom);
    new RoomForm(byId('room-form'), byId('room-input'), byId('room-error'), this.contextPath, this.defaultRoom);
    this.connection = new Connection({
      url: () => this.socketUrl(),
      onFrame: (ws, data) => this.handleFrame(ws, data),
      onLost: () => this.pending.requeueInFlight(),
      onClosed: (event) => this.restrictions.closed(event),
      mayConnect: () => this.restrictions.mayConnect(),
      status: new StatusLine(byId('status'))
    });
    this.restrictions = new Restrictions({
      input: byId('text'),
      send: byId('send'),
      rulesNote: byId('rules-note'),
      restriction: byId('restriction'),
      contextPath: this.contextPath,
      onRejoin: () => this.connection.connect(true)
    });
    this.nickname = new NicknameForm(this.contextPath, {
      onAccepted: (name) => this.acceptNickname(name),
      onClosed: () => this.composer.focus()
    });
    this.composer = new Composer({
      form: byId('composer'),
      input: byId('text'),
      counter: byId('counter'),
      maxLength: this.maxLength,
      onSend: (text) => this.queueMessage(text),
      onTooLong: () => this.showNotice(ERROR_TEXT.too_long)
    });
    this.bindEvents();
  }

  start(body) {
    const history = parseHistory(byId('history')?.textContent);
    for (const m of history) {
      if (this.seen.accept(m)) {
        this.view.showMessage(m);
      }
    }
    // With an empty history the server's lastId is the best resume point we have.
    if (history.length === 0) {
      this.seen.atLeast(Number(body.getAttribute('data-last-id')) || 0);
    }
    this.view.scrollToBottom();
    this.rooms.start();
    // Banned before this load: the notice, and no socket until the ban ends (connect() asks mayConnect).
    const banned = this.restrictions.restore();

    if (this.me) {
      this.updateMe();
      this.showChat();
      this.connection.connect();
      if (banned) {
        this.connection.status.show('idle', 'Not connected');
      }
      if (this.nickname.serverError()) {
        // A no-script rename was refused: keep chatting under the old name, with the error in view.
        this.nickname.openRename(this.me, true);
      }
    } else if (body.getAttribute('data-guests') === 'read') {
      // Guests read here and sign in to post: the page offers the sign-in where the composer would be.
      this.showChat();
      this.connection.connect();
    } else if (body.getAttribute('data-guests') === 'none') {
      this.connection.status.show('idle', 'Not connected'); // the page offers only the sign-in
    } else {
      this.nickname.open(false, true);
      this.connection.status.show('idle', 'Not connected');
    }
  }

  bindEvents() {
    byId('change-name').addEventListener('click', (event) => {
      event.preventDefault();
      this.nickname.openRename(this.me, false);
    });
    byId('jump').addEventListener('click', () => {
      this.view.scrollToBottom();
      this.composer.focus();
    });
    window.addEventListener('online', () => {
      if (this.live() && !this.connection.active) {
        this.connection.connect(true);
      }
    });
    window.addEventListener('offline', () => this.connection.offline());
    // Phones freeze background tabs; when the page comes back, do not sit out the rest of a long backoff.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && this.live() && !this.connection.active) {
        this.connection.connect();
      }
    });
  }

  live() {
    return Boolean(this.me) && !this.chat.hidden;
  }

  socketUrl() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    return scheme + location.host + this.contextPath + '/message?since=' + this.seen.lastId
        + (this.roomParameter ? '&room=' + encodeURIComponent(this.roomParameter) : '');
  }

  /* ---------- nickname ---------- */

  acceptNickname(name) {
    const changed = name !== this.me;
    this.me = name;
    this.updateMe();
    this.presence.render(this.me);
    this.showChat();
    // The server reads the name when the socket opens, so a new name needs a new connection.
    if (changed || !this.connection.active) {
      this.connection.connect(true);
    }
    this.composer.focus();
  }

  // Re-posts our name on this session and reconnects; if someone took it meanwhile, asks for another.
  async reclaimNickname() {
    this.connection.drop();
    this.connection.status.show('reconnecting', 'Reconnecting\u2026');
    const result = await postNickname(this.contextPath, this.me);
    if (result.user) {
      this.me = result.user;
      this.connection.connect();
    } else if (result.unreachable || result.retryLater) {
      this.connection.scheduleReconnect(); // gone again or busy: the next welcome brings us back here
    } else {
      this.nickname.setError(result.error);
      this.nickname.openRename(this.me, true);
    }
  }

  updateMe() {
    this.meName.textContent = this.me;
    this.meBox.hidden = !this.me;
  }

  showChat() {
    this.chat.hidden = false;
    this.view.scrollToBottom();
    this.older.loadIfAtTop(); // a history too short to scroll: fill the list from the store
  }

  /* ---------- incoming ---------- */

  handleFrame(ws, data) {
    const wasAtBottom = this.view.beforeUpdate();
    let added = false;
    for (const frame of parseFrame(data)) {
      if (!this.connection.isCurrent(ws)) {
        break; // a welcome asked for a fresh connection: the rest belongs to the old one
      }
      added = this.dispatch(frame) || added;
    }
    if (added) {
      this.view.afterUpdate(wasAtBottom);
    }
  }

  /** Returns true when something was added to the message list. */
  dispatch(frame) {
    switch (frame.type) {
      case 'welcome':
        this.onWelcome(frame);
        return false;
      case 'message':
        return this.onMessage(frame);
      case 'presence':
        // Shown in the online list only, never as lines among the messages (see js/presence.js).
        if (this.presence.apply(frame, this.me)) {
          this.presence.render(this.me);
        }
        return false;
      case 'error':
        this.onError(frame);
        return false;
      case 'reset':
        this.view.markGap();
        return true;
      case 'deleted':
        this.onDeleted(deletedId(frame));
        return false;
      case 'rules':
        this.restrictions.applyRules(frame);
        this.panel.showRules(frame);
        return false;
      case 'muted':
        this.restrictions.muted(frame);
        return false;
      case 'unmuted':
        this.restrictions.unmuted();
        return false;
      case 'kicked':
        this.restrictions.kicked(frame.reason);
        return false;
      case 'banned':
        this.restrictions.banned(frame.until, frame.reason);
        return false;
      default:
        return false; // newer servers may add types; ignoring them keeps this client working
    }
  }

  onWelcome(frame) {
    if (this.seen.isFromAnotherRoom(frame)) {
      // Ids went backwards: another room (its store was wiped). Start over from its beginning.
      this.view.startOver();
      this.seen.reset();
      if (frame.lastId > 0) {
        this.connection.connect(true);
        return;
      }
    }
    if (typeof frame.you === 'string' && GUEST_NAME.test(frame.you) && this.me && !GUEST_NAME.test(this.me)) {
      // The server greets us as a guest although we chose a name: it restarted, our session expired, or a
      // load balancer sent us to another node. Claim the name again before anything is sent as a guest.
      this.reclaimNickname();
      return;
    }
    if (typeof frame.you === 'string' && frame.you && frame.you !== this.me) {
      this.me = frame.you; // the server decides who we are
      this.updateMe();
    }
    this.restrictions.welcome(frame);
    const moderator = frame.moderator === true;
    this.panel.enable(moderator);
    this.panel.showRules(frame.rules || {});
    this.tools.enable(moderator);
    this.presence.reset(frame, this.me);
    this.presence.render(this.me);
    this.connection.markReady();
    this.flushPending();
  }

  onMessage(frame) {
    if (!isMessage(frame)) {
      return false;
    }
    const mine = this.pending.confirm(frame, this.me);
    if (mine) {
      this.view.removePending(mine);
    }
    if (!this.seen.accept(frame)) {
      return false;
    }
    const own = isOwnMessage(frame, this.me);
    const firstUnread = !own && this.attention.arrived(frame, this.view.isMention(frame));
    this.view.showMessage(frame, firstUnread);
    return true;
  }

  /** A moderator removed message `id` (null: a malformed frame): now, and whenever it arrives again. */
  onDeleted(id) {
    if (id !== null) {
      this.deleted.add(id);
      this.view.markDeleted(id);
    }
  }

  onError(frame) {
    this.restrictions.refused(frame);
    this.showNotice(Object.hasOwn(ERROR_TEXT, frame.code) ? ERROR_TEXT[frame.code] : 'The server did not accept that message');
    this.pending.refuse(frame.cid);
  }

  /* ---------- outgoing ---------- */

  queueMessage(text) {
    this.restrictions.sent();
    const p = this.pending.add(text);
    this.view.addPending(p, this.me, () => {
      this.pending.retry(p);
      this.flushPending();
    });
    this.flushPending();
  }

  flushPending() {
    if (!this.connection.canSend()) {
      return; // the next welcome sends them
    }
    for (const p of this.pending.toSend()) {
      try {
        this.connection.send({type: 'message', text: p.text, cid: p.cid});
        this.pending.markSent(p);
      } catch (e) {
        // The socket is going away; its close event re-queues and the next welcome re-sends.
      }
    }
  }

  showNotice(text) {
    clearTimeout(this.noticeTimer);
    this.notice.textContent = text;
    this.notice.hidden = false;
    this.noticeTimer = setTimeout(() => {
      this.notice.hidden = true;
    }, NOTICE_MS);
  }
}

// Modules run after the document is parsed, so the page's elements are all there.
new ChatApp(document.body).start(document.body);
