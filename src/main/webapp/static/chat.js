/*
 * Chatroom browser client.
 *
 * Speaks the chat.v1 protocol on /message (see DESIGN.md "Wire protocol"): renders the history embedded in
 * the page, then resumes the socket with ?since=<last id shown> so nothing is missed or shown twice,
 * reconnects by itself with backoff, and keeps typed messages until the server has echoed them back.
 *
 * All user data reaches the DOM through textContent / createTextNode only.
 */
(function () {
  'use strict';

  var BACKOFF_MIN_MS = 500;
  var BACKOFF_MAX_MS = 10000;
  var NOTICE_MS = 4000;
  // A tab left open for days must not grow without bound; the server keeps the history, not the DOM.
  var MAX_RENDERED = 1500;
  // How close to the end counts as "at the bottom": sub-pixel rounding and a half-visible line still stick.
  var BOTTOM_SLACK_PX = 48;

  var ERROR_TEXT = {
    too_long: 'Message too long',
    rate_limited: 'Slow down: too many messages',
    bad_request: 'The server could not read that message',
    unavailable: 'Chat is unavailable right now, try again shortly'
  };

  var GUEST_NAME = /^guest-\d+$/;

  var dom = {};
  var state = {
    contextPath: '',
    me: '',
    maxLength: 2000,
    lastShownId: 0,
    lastDay: '',
    socket: null,
    welcomed: false,
    attempt: 0,
    retryTimer: 0,
    countdownTimer: 0,
    noticeTimer: 0,
    stuck: true,
    users: [],
    // Messages typed here and not yet confirmed by the server: {cid, text, status, el}; status is
    // 'queued' (waiting for a connection), 'sent' (on the wire, awaiting its echo) or 'failed'.
    pending: [],
    // Every cid this page made: after a name change, our earlier messages still count as our own.
    ownCids: {},
    cidPrefix: '',
    cidCounter: 0
  };

  /* ---------- small DOM helpers ---------- */

  function byId(id) {
    return document.getElementById(id);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function isString(value) {
    return typeof value === 'string';
  }

  function pad2(n) {
    return n < 10 ? '0' + n : String(n);
  }

  /* ---------- start-up ---------- */

  function init() {
    var body = document.body;
    state.contextPath = body.getAttribute('data-context-path') || '';
    state.me = body.getAttribute('data-user') || '';
    state.maxLength = parseInt(body.getAttribute('data-max-length'), 10) || 2000;
    state.cidPrefix = makeCidPrefix();

    ['status', 'me', 'me-name', 'change-name', 'nickname-panel', 'nickname-form', 'nickname', 'nickname-title',
      'nickname-submit', 'nickname-error', 'nickname-cancel', 'chat', 'messages', 'jump', 'notice', 'composer',
      'text', 'counter', 'send', 'users', 'user-count'].forEach(function (id) {
      dom[id] = byId(id);
    });

    dom.text.maxLength = state.maxLength;
    bindEvents();

    var history = readHistory();
    var embeddedLastId = Number(body.getAttribute('data-last-id')) || 0;
    history.forEach(showMessage);
    // With an empty history the server's lastId is the best resume point we have.
    if (history.length === 0) {
      state.lastShownId = Math.max(state.lastShownId, embeddedLastId);
    }
    scrollToBottom();

    var serverError = dom['nickname-error'].textContent.trim();
    if (state.me) {
      updateMe();
      showChat();
      connect();
      if (serverError) {
        // A no-script rename was refused: keep chatting under the old name, with the error in view.
        openRename(true);
      }
    } else {
      showNicknameForm(false, true);
      setStatus('idle', 'Not connected');
    }
  }

  function readHistory() {
    var holder = byId('history');
    if (!holder) {
      return [];
    }
    try {
      var parsed = JSON.parse(holder.textContent || '[]');
      return Array.isArray(parsed) ? parsed.filter(isMessage) : [];
    } catch (e) {
      // A broken embed must not stop the live chat: the socket replays what the room still has.
      return [];
    }
  }

  function bindEvents() {
    dom['nickname-form'].addEventListener('submit', submitNickname);
    dom['nickname-cancel'].addEventListener('click', closeRename);
    dom['change-name'].addEventListener('click', function (event) {
      event.preventDefault();
      openRename(false);
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && document.body.classList.contains('renaming')) {
        closeRename();
      }
    });

    dom.composer.addEventListener('submit', function (event) {
      event.preventDefault();
      sendFromInput();
    });
    dom.text.addEventListener('input', updateCounter);

    dom.messages.addEventListener('scroll', function () {
      state.stuck = isAtBottom();
      if (state.stuck) {
        dom.jump.hidden = true;
      }
    });
    // When the list itself changes size (phone keyboard, window resize) a reader at the bottom stays there.
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        if (state.stuck) {
          scrollToBottom();
        }
      }).observe(dom.messages);
    }
    dom.jump.addEventListener('click', function () {
      scrollToBottom();
      dom.text.focus();
    });

    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    // Phones freeze background tabs; when the page comes back, do not sit out the rest of a long backoff.
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible' && state.me && !state.socket && !dom.chat.hidden) {
        connect();
      }
    });
  }

  /* ---------- nickname ---------- */

  function showNicknameForm(renaming, keepError) {
    document.body.classList.toggle('renaming', renaming);
    dom['nickname-title'].textContent = renaming ? 'Change your name' : 'Join the conversation';
    dom['nickname-submit'].textContent = renaming ? 'Save' : 'Join';
    dom['nickname-cancel'].hidden = !renaming;
    if (!keepError) {
      setNicknameError('');
    }
    dom['nickname-panel'].hidden = false;
    dom.nickname.focus();
    dom.nickname.select();
  }

  function openRename(keepError) {
    dom.nickname.value = state.me;
    showNicknameForm(true, keepError);
  }

  function closeRename() {
    document.body.classList.remove('renaming');
    dom['nickname-panel'].hidden = true;
    dom.text.focus();
  }

  function setNicknameError(text) {
    dom['nickname-error'].textContent = text;
    dom.nickname.setAttribute('aria-invalid', text ? 'true' : 'false');
  }

  function submitNickname(event) {
    event.preventDefault();
    var name = dom.nickname.value.trim();
    if (!name) {
      setNicknameError('Choose a nickname first.');
      dom.nickname.focus();
      return;
    }
    setNicknameBusy(true);
    postNickname(name).then(function (result) {
      setNicknameBusy(false);
      if (result.user) {
        acceptNickname(result.user);
      } else {
        setNicknameError(result.error);
        dom.nickname.focus();
      }
    });
  }

  function setNicknameBusy(busy) {
    dom['nickname-submit'].disabled = busy;
    dom['nickname-form'].setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  // Resolves to {user} on success or {error: text to show}; never rejects.
  function postNickname(name) {
    var request = {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Accept': 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8'
      },
      body: 'user=' + encodeURIComponent(name)
    };
    return fetch(state.contextPath + '/index', request).then(function (response) {
      return response.json().catch(function () {
        return null;
      }).then(function (data) {
        if (response.ok && data && isString(data.user) && data.user) {
          return {user: data.user};
        }
        // 429: too many claims from this address (e.g. a whole office reclaiming after a restart): try again later.
        return {error: nicknameErrorText(response.status, data), retryLater: response.status === 429};
      });
    }, function () {
      return {error: 'Could not reach the server. Check your connection and try again.', unreachable: true};
    });
  }

  function nicknameErrorText(status, data) {
    // The server's own wording is preferred (it knows the rule that was broken); it is shown as text only.
    if (data && isString(data.message) && data.message.trim()) {
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

  function acceptNickname(name) {
    var changed = name !== state.me;
    state.me = name;
    setNicknameError('');
    document.body.classList.remove('renaming');
    dom['nickname-panel'].hidden = true;
    updateMe();
    renderUsers();
    showChat();
    // The server reads the name when the socket opens, so a new name needs a new connection.
    if (changed || !state.socket) {
      state.attempt = 0;
      connect();
    }
    dom.text.focus();
  }

  // Re-posts our name on this session and reconnects; if someone took it meanwhile, asks for another.
  function reclaimNickname() {
    dropSocket();
    setStatus('reconnecting', 'Reconnecting\u2026');
    postNickname(state.me).then(function (result) {
      if (result.user) {
        state.me = result.user;
        connect();
      } else if (result.unreachable || result.retryLater) {
        scheduleReconnect(); // gone again or busy: the next welcome will bring us back here
      } else {
        setNicknameError(result.error);
        openRename(true);
      }
    });
  }

  function updateMe() {
    dom['me-name'].textContent = state.me;
    dom.me.hidden = !state.me;
  }

  function showChat() {
    dom.chat.hidden = false;
    scrollToBottom();
  }

  /* ---------- socket ---------- */

  function socketUrl() {
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    return scheme + location.host + state.contextPath + '/message?since=' + state.lastShownId;
  }

  function connect() {
    clearRetry();
    dropSocket();
    var ws;
    try {
      ws = new WebSocket(socketUrl(), 'chat.v1');
    } catch (e) {
      scheduleReconnect();
      return;
    }
    state.socket = ws;
    if (state.attempt === 0) {
      setStatus('connecting', 'Connecting\u2026');
    } else {
      setStatus('reconnecting', 'Reconnecting\u2026');
    }
    // Events of a socket we already replaced (name change, resync) are ignored, so it cannot
    // schedule a reconnect or render into the list behind the current one's back.
    ws.addEventListener('message', function (event) {
      if (ws === state.socket) {
        handleFrame(ws, event.data);
      }
    });
    ws.addEventListener('close', function () {
      if (ws === state.socket) {
        state.socket = null;
        state.welcomed = false;
        requeueInFlight();
        scheduleReconnect();
      }
    });
  }

  // Forget the current socket on purpose (it will not trigger a reconnect) and close it.
  function dropSocket() {
    var old = state.socket;
    state.socket = null;
    state.welcomed = false;
    requeueInFlight();
    if (old) {
      try {
        old.close(1000, 'reconnecting');
      } catch (e) {
        // Already closing: nothing to do.
      }
    }
  }

  function scheduleReconnect() {
    clearRetry();
    // Exponential backoff with "equal jitter": half the ceiling fixed, half random, so a room full of
    // clients cut off by the same restart does not come back in one wave.
    var ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, state.attempt));
    var delay = ceiling / 2 + Math.random() * ceiling / 2;
    state.attempt = Math.min(state.attempt + 1, 16);
    var due = Date.now() + delay;

    function tick() {
      if (!navigator.onLine) {
        setStatus('offline', 'Offline');
      } else {
        var seconds = Math.max(1, Math.ceil((due - Date.now()) / 1000));
        setStatus('reconnecting', 'Reconnecting in ' + seconds + ' s\u2026');
      }
    }
    tick();
    state.countdownTimer = setInterval(tick, 250);
    state.retryTimer = setTimeout(connect, delay);
  }

  function clearRetry() {
    clearTimeout(state.retryTimer);
    clearInterval(state.countdownTimer);
    state.retryTimer = 0;
    state.countdownTimer = 0;
  }

  function onOnline() {
    if (state.me && !state.socket && !dom.chat.hidden) {
      state.attempt = 0;
      connect();
    }
  }

  function onOffline() {
    // An open socket may well survive a short drop (and localhost never drops): let it be the judge.
    if (!state.socket || state.socket.readyState !== WebSocket.OPEN) {
      setStatus('offline', 'Offline');
    }
  }

  function setStatus(kind, text) {
    dom.status.className = 'status ' + kind;
    if (dom.status.textContent !== text) {
      dom.status.textContent = text;
    }
  }

  /* ---------- incoming frames ---------- */

  // A frame may carry several JSON objects, one per line, when the server batches.
  function handleFrame(ws, data) {
    if (!isString(data)) {
      return;
    }
    var stick = isAtBottom();
    var added = false;
    var lines = data.split('\n');
    for (var i = 0; i < lines.length; i++) {
      if (ws !== state.socket) {
        break; // a welcome asked for a fresh connection: the rest belongs to the old one
      }
      var line = lines[i].trim();
      if (!line) {
        continue;
      }
      var frame;
      try {
        frame = JSON.parse(line);
      } catch (e) {
        continue; // not ours to show: chat.v1 only ever sends JSON
      }
      if (frame && dispatch(frame)) {
        added = true;
      }
    }
    if (added) {
      if (stick) {
        scrollToBottom();
      } else {
        dom.jump.hidden = false;
      }
    }
  }

  // Returns true when something was added to the message list.
  function dispatch(frame) {
    switch (frame.type) {
      case 'welcome':
        onWelcome(frame);
        return false;
      case 'message':
        return onMessage(frame);
      case 'join':
        return onJoin(frame);
      case 'leave':
        return onLeave(frame);
      case 'error':
        onError(frame);
        return false;
      case 'reset':
        markGap();
        return true;
      default:
        return false; // newer servers may add types; ignoring them keeps this client working
    }
  }

  function onWelcome(frame) {
    if (typeof frame.lastId === 'number' && frame.lastId < state.lastShownId) {
      // Ids went backwards: this is another room (its store was wiped), whose ids say nothing about the
      // ones we have shown. Start over from its beginning.
      resetMessages();
      if (frame.lastId > 0) {
        state.attempt = 0;
        connect();
        return;
      }
    }
    if (isString(frame.you) && GUEST_NAME.test(frame.you) && state.me && !GUEST_NAME.test(state.me)) {
      // The server greets us as a guest although we chose a name: it restarted, our session expired, or a
      // load balancer sent us to another node. Claim the name again before anything is sent as a guest.
      reclaimNickname();
      return;
    }
    state.welcomed = true;
    state.attempt = 0;
    if (isString(frame.you) && frame.you && frame.you !== state.me) {
      state.me = frame.you; // the server decides who we are
      updateMe();
    }
    state.users = Array.isArray(frame.users) ? frame.users.filter(isString) : [];
    if (state.me && state.users.indexOf(state.me) < 0) {
      state.users.push(state.me);
    }
    renderUsers();
    setStatus('connected', 'Connected');
    flushPending();
  }

  function onMessage(frame) {
    if (!isMessage(frame)) {
      return false;
    }
    if (isString(frame.cid)) {
      var mine = findPending(frame.cid);
      if (mine) {
        removePending(mine);
      }
    }
    return showMessage(frame);
  }

  function onJoin(frame) {
    if (!isString(frame.user) || state.users.indexOf(frame.user) >= 0) {
      return false; // a second tab of someone already here is not news
    }
    state.users.push(frame.user);
    renderUsers();
    if (frame.user === state.me) {
      return false;
    }
    insertEntry(systemLine(frame.user + ' joined', frame.ts), frame.ts);
    return true;
  }

  function onLeave(frame) {
    var index = isString(frame.user) ? state.users.indexOf(frame.user) : -1;
    if (index < 0) {
      return false;
    }
    state.users.splice(index, 1);
    renderUsers();
    if (frame.user === state.me) {
      return false;
    }
    insertEntry(systemLine(frame.user + ' left', frame.ts), frame.ts);
    return true;
  }

  function onError(frame) {
    var code = isString(frame.code) ? frame.code : '';
    showNotice(ERROR_TEXT[code] || 'The server did not accept that message');
    // Errors answer our frames in order, so the oldest message still on the wire is the one refused
    // (a cid in the error, if the server sends one, is exact).
    var target = isString(frame.cid) ? findPending(frame.cid) : null;
    if (!target) {
      target = state.pending.filter(function (p) {
        return p.status === 'sent';
      })[0];
    }
    if (target) {
      setPendingStatus(target, 'failed');
    }
  }

  /* ---------- message list ---------- */

  function isMessage(m) {
    return m && typeof m.id === 'number' && isString(m.from) && isString(m.text);
  }

  // Ids are room-wide and strictly increasing, so anything at or below the last shown id was seen.
  function showMessage(m) {
    if (!isMessage(m) || m.id <= state.lastShownId) {
      return false;
    }
    state.lastShownId = m.id;
    insertEntry(messageEntry(m), m.ts);
    return true;
  }

  function messageEntry(m) {
    var own = m.from === state.me || (isString(m.cid) && state.ownCids[m.cid] === true);
    var item = el('li', own ? 'message own' : 'message');
    item.setAttribute('data-id', String(m.id));
    item.style.setProperty('--hue', String(hueOf(m.from)));
    var meta = el('div', 'meta');
    meta.appendChild(el('span', 'from', m.from));
    meta.appendChild(timeElement(m.ts));
    item.appendChild(meta);
    item.appendChild(el('div', 'text', m.text));
    return item;
  }

  function timeElement(ts) {
    var date = new Date(typeof ts === 'number' ? ts : Date.now());
    var time = el('time', 'time', pad2(date.getHours()) + ':' + pad2(date.getMinutes()));
    time.setAttribute('datetime', date.toISOString());
    time.title = fullDate(date);
    return time;
  }

  function fullDate(date) {
    try {
      return date.toLocaleString(undefined, {dateStyle: 'full', timeStyle: 'medium'});
    } catch (e) {
      return date.toString();
    }
  }

  function systemLine(text, ts) {
    var item = el('li', 'system');
    item.appendChild(el('span', null, text));
    if (typeof ts === 'number') {
      item.title = fullDate(new Date(ts));
    }
    return item;
  }

  // Real entries go above the pending ones, which stay at the end until the server confirms them.
  function insertEntry(node, ts) {
    var before = state.pending.length ? state.pending[0].el : null;
    var day = dayKey(typeof ts === 'number' ? ts : Date.now());
    if (day !== state.lastDay) {
      state.lastDay = day;
      dom.messages.insertBefore(dayDivider(ts), before);
    }
    dom.messages.insertBefore(node, before);
    trimList();
  }

  function dayKey(ts) {
    var d = new Date(ts);
    return d.getFullYear() + '-' + (d.getMonth() + 1) + '-' + d.getDate();
  }

  function dayDivider(ts) {
    var date = new Date(typeof ts === 'number' ? ts : Date.now());
    var today = new Date();
    var yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
    var label;
    if (dayKey(date.getTime()) === dayKey(today.getTime())) {
      label = 'Today';
    } else if (dayKey(date.getTime()) === dayKey(yesterday.getTime())) {
      label = 'Yesterday';
    } else {
      label = date.toLocaleDateString(undefined, {weekday: 'long', year: 'numeric', month: 'long', day: 'numeric'});
    }
    var item = el('li', 'day-divider');
    item.appendChild(el('span', null, label));
    return item;
  }

  function trimList() {
    var list = dom.messages;
    while (list.childElementCount > MAX_RENDERED && !list.firstElementChild.classList.contains('pending')) {
      list.removeChild(list.firstElementChild);
    }
  }

  // The server could not replay everything since our id: start the list afresh, keeping what we typed.
  // The server could not replay everything since our last id (it fell out of the history, or the server
  // restarted). What is shown stays: it was said. The line marks where something may be missing; what follows
  // has larger ids, so de-duplication by id still holds.
  function markGap() {
    var notice = systemLine('Some messages may be missing here: the server no longer has them');
    notice.classList.add('notice-line');
    dom.messages.insertBefore(notice, state.pending.length ? state.pending[0].el : null);
  }

  function resetMessages() {
    var list = dom.messages;
    Array.prototype.slice.call(list.children).forEach(function (child) {
      if (!child.classList.contains('pending')) {
        list.removeChild(child);
      }
    });
    state.lastShownId = 0;
    state.lastDay = '';
    var notice = systemLine('Some earlier messages are no longer available');
    notice.classList.add('notice-line');
    // Not through insertEntry: the notice is about the gap, and the next message brings its own day line.
    dom.messages.insertBefore(notice, state.pending.length ? state.pending[0].el : null);
  }

  // A stable colour per name, so a sender is recognisable at a glance.
  function hueOf(name) {
    var hash = 0;
    for (var i = 0; i < name.length; i++) {
      hash = (hash * 31 + name.charCodeAt(i)) | 0;
    }
    return Math.abs(hash) % 360;
  }

  function isAtBottom() {
    var list = dom.messages;
    return list.scrollHeight - list.scrollTop - list.clientHeight <= BOTTOM_SLACK_PX;
  }

  function scrollToBottom() {
    dom.messages.scrollTop = dom.messages.scrollHeight;
    state.stuck = true;
    dom.jump.hidden = true;
  }

  /* ---------- presence ---------- */

  function renderUsers() {
    var me = state.me;
    var others = state.users.filter(function (u) {
      return u !== me;
    }).sort(function (a, b) {
      return a.localeCompare(b, undefined, {sensitivity: 'base'});
    });
    var items = [];
    if (state.users.indexOf(me) >= 0) {
      var self = el('li', 'user self');
      self.appendChild(document.createTextNode(me + ' '));
      self.appendChild(el('span', 'you', '(you)'));
      items.push(self);
    }
    others.forEach(function (u) {
      var item = el('li', 'user', u);
      item.style.setProperty('--hue', String(hueOf(u)));
      items.push(item);
    });
    dom.users.replaceChildren.apply(dom.users, items);
    dom['user-count'].textContent = state.users.length ? String(state.users.length) : '';
  }

  /* ---------- outgoing ---------- */

  function sendFromInput() {
    var text = dom.text.value;
    if (!text.trim()) {
      return;
    }
    if (text.length > state.maxLength) {
      showNotice(ERROR_TEXT.too_long);
      return;
    }
    dom.text.value = '';
    updateCounter();
    queueMessage(text);
    dom.text.focus();
  }

  function makeCidPrefix() {
    var random = '';
    if (window.crypto && window.crypto.getRandomValues) {
      var words = window.crypto.getRandomValues(new Uint32Array(2));
      random = words[0].toString(36) + words[1].toString(36);
    } else {
      random = Math.random().toString(36).slice(2) + Date.now().toString(36);
    }
    return 'c' + random.slice(0, 20);
  }

  // Unique per message and stable across re-sends, so the server can drop a duplicate after a reconnect.
  function nextCid() {
    state.cidCounter += 1;
    return state.cidPrefix + '-' + state.cidCounter.toString(36);
  }

  function queueMessage(text) {
    var p = {cid: nextCid(), text: text, status: 'queued', el: null};
    state.ownCids[p.cid] = true;
    p.el = pendingEntry(p);
    state.pending.push(p);
    dom.messages.appendChild(p.el);
    scrollToBottom();
    flushPending();
  }

  function pendingEntry(p) {
    var item = el('li', 'message own pending');
    item.setAttribute('data-cid', p.cid);
    var meta = el('div', 'meta');
    meta.appendChild(el('span', 'from', state.me));
    item.appendChild(meta);
    item.appendChild(el('div', 'text', p.text));
    var line = el('div', 'delivery');
    line.appendChild(el('span', 'delivery-text', 'sending\u2026'));
    var retry = el('button', 'retry link', 'Retry');
    retry.type = 'button';
    retry.hidden = true;
    retry.addEventListener('click', function () {
      setPendingStatus(p, 'queued');
      flushPending();
    });
    line.appendChild(retry);
    item.appendChild(line);
    return item;
  }

  function setPendingStatus(p, status) {
    p.status = status;
    var failed = status === 'failed';
    p.el.classList.toggle('failed', failed);
    p.el.querySelector('.delivery-text').textContent = failed ? 'not sent' : 'sending\u2026';
    p.el.querySelector('.retry').hidden = !failed;
  }

  function flushPending() {
    if (!state.welcomed || !state.socket || state.socket.readyState !== WebSocket.OPEN) {
      return; // the next welcome sends them
    }
    state.pending.forEach(function (p) {
      if (p.status !== 'queued') {
        return;
      }
      try {
        state.socket.send(JSON.stringify({type: 'message', text: p.text, cid: p.cid}));
        setPendingStatus(p, 'sent');
      } catch (e) {
        // The socket is going away; its close event re-queues and the next welcome re-sends.
      }
    });
  }

  // Messages on the wire when a connection drops may or may not have arrived: re-send them with the
  // same cid after the next welcome and let the server drop the duplicate.
  function requeueInFlight() {
    state.pending.forEach(function (p) {
      if (p.status === 'sent') {
        setPendingStatus(p, 'queued');
      }
    });
  }

  function findPending(cid) {
    for (var i = 0; i < state.pending.length; i++) {
      if (state.pending[i].cid === cid) {
        return state.pending[i];
      }
    }
    return null;
  }

  function removePending(p) {
    state.pending.splice(state.pending.indexOf(p), 1);
    if (p.el.parentNode) {
      p.el.parentNode.removeChild(p.el);
    }
  }

  function updateCounter() {
    var left = state.maxLength - dom.text.value.length;
    // Only near the limit: a permanent counter is noise for ordinary short messages.
    var show = left <= Math.max(20, Math.floor(state.maxLength * 0.1));
    dom.counter.hidden = !show;
    if (show) {
      dom.counter.textContent = String(left);
      dom.counter.classList.toggle('at-limit', left <= 0);
    }
  }

  function showNotice(text) {
    clearTimeout(state.noticeTimer);
    dom.notice.textContent = text;
    dom.notice.hidden = false;
    state.noticeTimer = setTimeout(function () {
      dom.notice.hidden = true;
    }, NOTICE_MS);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
