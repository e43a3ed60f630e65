import {Connection} from '../static/js/connection.js';
import {Restrictions} from '../static/js/restriction-notices.js';
import {
  BAN_KEY, SlowMode, bannedText, closeAction, forgetBan, kickedText, rememberBan, rememberedBan, secondsUntil,
  sendLabel, signInUrl
} from '../static/js/restrictions.js';
import {assert, test} from './runner.js';

/** A Storage stand-in: localStorage's three methods over a Map. */
function memoryStorage() {
  const map = new Map();
  return {
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => map.set(k, String(v)),
    removeItem: (k) => map.delete(k)
  };
}

const throwing = {
  getItem() { throw new Error('denied'); },
  setItem() { throw new Error('denied'); },
  removeItem() { throw new Error('denied'); }
};

test('closeAction: 4001 kicks and 4003 bans, both stay closed; anything else (a 403 is a 1006) reconnects', () => {
  assert.equal(closeAction(4001), 'kicked');
  assert.equal(closeAction(4003), 'banned');
  for (const code of [1000, 1001, 1006, 1011, 1012, 4000, 4002]) {
    assert.equal(closeAction(code), 'reconnect', 'code ' + code);
  }
});

test('slow mode counts down from a send, with an injected clock', () => {
  let now = 1000000;
  const slow = new SlowMode(() => now);
  slow.sent();
  assert.equal(slow.secondsLeft(), 0, 'no slow mode: no wait');
  assert.equal(slow.notice(), '');
  slow.setSeconds(10);
  assert.equal(slow.notice(), 'Slow mode: one message every 10 s');
  slow.sent();
  assert.equal(slow.secondsLeft(), 10);
  now += 100;
  assert.equal(slow.secondsLeft(), 10, 'a started second still counts');
  now += 9000;
  assert.equal(slow.secondsLeft(), 1);
  now += 900;
  assert.equal(slow.secondsLeft(), 0);
  assert.equal(sendLabel(0), 'Send');
  assert.equal(sendLabel(7), 'Wait 7 s');
});

test('slow mode: the server\'s until wins, and turning it down shortens a running wait', () => {
  let now = 5000;
  const slow = new SlowMode(() => now);
  slow.setSeconds(30);
  slow.refusedUntil(now + 12500);
  assert.equal(slow.secondsLeft(), 13, 'as the slow_mode error said');
  slow.refusedUntil(undefined);
  assert.equal(slow.secondsLeft(), 13, 'an error without until changes nothing');
  slow.setSeconds(5);
  assert.equal(slow.secondsLeft(), 5, 'never longer than the new interval');
  slow.setSeconds(0);
  assert.equal(slow.secondsLeft(), 0, 'slow mode off: send at once');
  assert.equal(secondsUntil(now - 1, now), 0);
});

test('a ban is remembered until it ends, then forgotten; for good is remembered as forever', () => {
  const storage = memoryStorage();
  const now = 1700000000000;
  assert.equal(rememberedBan(storage, now), null, 'nothing remembered');
  rememberBan(storage, now + 60000);
  assert.deepEqual(rememberedBan(storage, now), {until: now + 60000});
  assert.deepEqual(rememberedBan(storage, now + 59999), {until: now + 60000});
  assert.equal(rememberedBan(storage, now + 60000), null, 'ended');
  assert.equal(storage.getItem(BAN_KEY), null, 'an ended ban is forgotten');
  rememberBan(storage, null);
  assert.equal(storage.getItem(BAN_KEY), 'forever');
  assert.deepEqual(rememberedBan(storage, now * 2), {until: null});
  forgetBan(storage);
  assert.equal(rememberedBan(storage, now), null);
  storage.setItem(BAN_KEY, 'garbage');
  assert.equal(rememberedBan(storage, now), null, 'an unreadable value is no ban');
  rememberBan(throwing, now + 1);
  assert.equal(rememberedBan(throwing, now), null, 'storage that throws is empty');
});

test('notice texts say until when, or for good, and the reason', () => {
  const now = new Date(2025, 5, 2, 12, 0).getTime();
  assert.equal(kickedText('  calm down '), 'You were removed from the room by a moderator: calm down');
  assert.equal(kickedText(undefined), 'You were removed from the room by a moderator');
  assert.equal(bannedText(null, 'spam', now), 'You are banned for good: spam');
  assert.ok(bannedText(now + 3600000, '', now).startsWith('You are banned until '), 'with a time');
  assert.equal(signInUrl('/chat', '/chat/r/dev'), '/chat/login?next=%2Fchat%2Fr%2Fdev');
});

function restrictions(storage) {
  const form = document.createElement('form');
  form.innerHTML = '<input><button>Send</button><p></p>'
      + '<div><p class="restriction-text"></p><span class="restriction-action"></span></div>';
  const rejoins = [];
  const r = new Restrictions({
    input: form.querySelector('input'),
    send: form.querySelector('button'),
    rulesNote: form.querySelector('p'),
    restriction: form.querySelector('div'),
    contextPath: '/ctx',
    onRejoin: () => rejoins.push(1),
    storage
  });
  return {r, form, rejoins, text: () => form.querySelector('.restriction-text').textContent};
}

test('a kick (frame or close 4001) keeps the page away until Rejoin', () => {
  const {r, form, rejoins, text} = restrictions(memoryStorage());
  r.welcome({type: 'welcome', mayPost: true});
  r.closed({code: 1006});
  assert.ok(r.mayConnect(), 'a dropped or refused socket reconnects');
  r.closed({code: 4001, reason: 'flooding'});
  assert.notOk(r.mayConnect(), 'kicked: no reconnect');
  assert.equal(text(), 'You were removed from the room by a moderator: flooding');
  assert.ok(form.querySelector('input').disabled, 'no typing into a closed room');
  const rejoin = form.querySelector('.restriction-action button');
  assert.equal(rejoin.textContent, 'Rejoin');
  rejoin.click();
  assert.ok(r.mayConnect());
  assert.equal(rejoins.length, 1);
  r.welcome({type: 'welcome'});
  assert.equal(text(), '', 'welcomed back');
});

test('a ban is remembered, survives a reload (restore) and no socket opens until it ends', () => {
  const storage = memoryStorage();
  const first = restrictions(storage);
  first.r.banned(Date.now() + 3600000, 'spam');
  first.r.closed({code: 4003, reason: 'banned'});
  assert.notOk(first.r.mayConnect());
  assert.ok(first.text().endsWith(': spam'), first.text());
  const reloaded = restrictions(storage);
  assert.ok(reloaded.r.restore(), 'the reload knows');
  assert.notOk(reloaded.r.mayConnect());
  assert.ok(reloaded.text().startsWith('You are banned until '), reloaded.text());
  const connection = new Connection({
    url: () => { throw new Error('no socket may open while banned'); },
    onFrame: () => {}, onLost: () => {}, status: {show() {}},
    mayConnect: () => reloaded.r.mayConnect()
  });
  connection.connect(true);
  assert.notOk(connection.active, 'connect() opened nothing');
  storage.setItem(BAN_KEY, String(Date.now() - 1));
  const later = restrictions(storage);
  assert.notOk(later.r.restore(), 'an ended ban does not hold');
  assert.ok(later.r.mayConnect());
  clearTimeout(first.r.banTimer);
  clearTimeout(reloaded.r.banTimer);
});

test('a close 4003 without its frame still stays away, without remembering an unknown end', () => {
  const storage = memoryStorage();
  const {r, text} = restrictions(storage);
  r.closed({code: 4003, reason: 'banned'});
  assert.notOk(r.mayConnect());
  assert.equal(text(), 'You are banned from this room');
  assert.equal(storage.getItem(BAN_KEY), null);
});

test('read-only, mute and slow mode reach the composer', () => {
  const {r, form, text} = restrictions(memoryStorage());
  const input = form.querySelector('input');
  const send = form.querySelector('button');
  r.welcome({type: 'welcome', signedIn: false, mayPost: false, rules: {slowModeSeconds: 10, guestsMayPost: false}});
  assert.ok(input.disabled);
  assert.equal(text(), 'Guests may only read in this room.');
  assert.equal(form.querySelector('.restriction-action a').getAttribute('href'),
      '/ctx/login?next=' + encodeURIComponent(location.pathname + location.search));
  assert.equal(form.querySelector('p').textContent, 'Slow mode: one message every 10 s');
  r.applyRules({type: 'rules', slowModeSeconds: 10, guestsMayPost: true, mayPost: true});
  assert.notOk(input.disabled, 'guests may post again');
  r.sent();
  assert.ok(send.disabled, 'counting down');
  assert.ok(/^Wait (9|10) s$/.test(send.textContent), send.textContent);
  r.refused({code: 'muted', until: Date.now() + 600000});
  assert.ok(input.disabled);
  assert.ok(text().startsWith('You are muted until '), text());
  r.unmuted();
  assert.notOk(input.disabled);
  assert.equal(text(), '');
  r.applyRules({slowModeSeconds: 0});
  assert.equal(send.textContent, 'Send');
  assert.notOk(send.disabled);
  assert.notOk(r.refused({code: 'too_long'}), 'not a rule of the room');
  clearInterval(r.tickTimer);
});

test('moderators are not held to slow mode by the page', () => {
  const {r, form} = restrictions(memoryStorage());
  r.welcome({type: 'welcome', moderator: true, rules: {slowModeSeconds: 30}});
  r.sent();
  assert.notOk(form.querySelector('button').disabled);
});
