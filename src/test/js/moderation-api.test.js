import {ModerationApi, errorText, wholeMinutes} from '../static/js/moderation-api.js';
import {auditLine, banLine, entriesOf, muteLine} from '../static/js/moderation-panel.js';
import {assert, test} from './runner.js';

/** A fetch that records each request and answers with the next of `answers` ({status, body} or an Error). */
function recorder(answers) {
  const calls = [];
  const fetchFn = async (url, init) => {
    calls.push({url, ...init});
    const answer = answers.shift();
    if (answer instanceof Error) {
      throw answer;
    }
    const text = answer.body === undefined ? ''
        : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    return new Response(answer.status === 204 ? null : text, {status: answer.status});
  };
  return {calls, api: new ModerationApi('/ctx', fetchFn)};
}

test('calls go to /moderation with the session cookie and a JSON body', async () => {
  const {calls, api} = recorder([{status: 201, body: {id: 'b1'}}, {status: 204}, {status: 200, body: {entries: []}}]);
  const ban = await api.ban('bob', null, 'spam', true);
  assert.deepEqual(ban, {ok: true, status: 201, data: {id: 'b1'}, error: ''});
  assert.equal(calls[0].url, '/ctx/moderation/bans');
  assert.equal(calls[0].method, 'POST');
  assert.equal(calls[0].credentials, 'same-origin');
  assert.equal(calls[0].headers['Content-Type'], 'application/json');
  assert.deepEqual(JSON.parse(calls[0].body), {user: 'bob', reason: 'spam', address: true}, 'no minutes: for good');
  const deleted = await api.deleteMessage(42, 'dev room');
  assert.ok(deleted.ok);
  assert.equal(calls[1].url, '/ctx/moderation/messages/42?room=dev%20room');
  assert.equal(calls[1].method, 'DELETE');
  assert.equal(calls[1].body, undefined, 'no body, no Content-Type');
  assert.equal(calls[1].headers['Content-Type'], undefined);
  await api.audit(17, 50);
  assert.equal(calls[2].url, '/ctx/moderation/audit?limit=50&before=17');
});

test('every other call has its method, path and body', async () => {
  const {calls, api} = recorder(Array.from({length: 9}, () => ({status: 200, body: {}})));
  await api.purge('bob', 10, 'general');
  await api.kick('bob', 'why');
  await api.mute('bob', 5, 'why');
  await api.unmute('b/ob');
  await api.mutes();
  await api.bans();
  await api.liftBan('x1');
  await api.saveRoomSettings('general', 10, false);
  await api.audit();
  const seen = calls.map((c) => c.method + ' ' + c.url.slice('/ctx/moderation'.length) + (c.body ? ' ' + c.body : ''));
  assert.deepEqual(seen, [
    'POST /purge {"user":"bob","minutes":10,"room":"general"}',
    'POST /kick {"user":"bob","reason":"why"}',
    'POST /mutes {"user":"bob","minutes":5,"reason":"why"}',
    'DELETE /mutes/b%2Fob',
    'GET /mutes',
    'GET /bans',
    'DELETE /bans/x1',
    'PUT /rooms/general {"slowModeSeconds":10,"guestsMayPost":false}',
    'GET /audit?limit=50'
  ]);
});

test('failures resolve to a text to show, never throw', async () => {
  const {api} = recorder([
    {status: 401, body: {error: 'signed_out'}},
    {status: 403, body: {error: 'forbidden'}},
    {status: 404, body: {error: 'not_found'}},
    {status: 400, body: {error: 'bad_request', message: 'minutes must be positive'}},
    {status: 502, body: '<html>bad gateway</html>'},
    new TypeError('Failed to fetch')
  ]);
  const answers = [];
  for (let i = 0; i < 6; i++) {
    answers.push(await api.kick('bob', ''));
  }
  assert.deepEqual(answers.map((a) => a.ok + ' ' + a.status),
      ['false 401', 'false 403', 'false 404', 'false 400', 'false 502', 'false 0']);
  assert.ok(answers[0].error.includes('signed out'), answers[0].error);
  assert.ok(answers[1].error.startsWith('Not allowed'), answers[1].error);
  assert.equal(answers[3].error, 'minutes must be positive', 'the server\'s own message');
  assert.equal(answers[4].data, null, 'a page that is not JSON is no data');
  assert.ok(answers[5].error.startsWith('Could not reach'), answers[5].error);
  assert.equal(errorText(418, null), 'Something went wrong (418). Try again.');
});

test('wholeMinutes accepts whole numbers from 1', () => {
  assert.equal(wholeMinutes('10'), 10);
  assert.equal(wholeMinutes('0'), null);
  assert.equal(wholeMinutes('1.5'), null);
  assert.equal(wholeMinutes(''), null);
  assert.equal(wholeMinutes('-3'), null);
});

test('the panel\'s lines say who, until when and why', () => {
  const now = new Date(2025, 5, 2, 12, 0).getTime();
  assert.equal(banLine({id: '1', user: 'bob', address: null, by: 'ana', reason: 'spam', until: null}, now),
      'bob \u00b7 for good \u00b7 by ana: spam');
  assert.ok(banLine({user: null, address: '2001:db8::/64', by: 'ana', until: now + 60000}, now)
      .startsWith('address 2001:db8::/64 \u00b7 until '), 'an address ban');
  assert.ok(muteLine({user: 'cy', until: now + 60000, by: 'ana', reason: ''}, now).startsWith('cy \u00b7 until '));
  assert.ok(auditLine({id: 3, by: 'ana', action: 'ban', target: 'bob', room: 'general', reason: 'spam', at: now}, now)
      .endsWith(' ana: ban bob (#general): spam'));
  assert.deepEqual(entriesOf({bans: [{id: 1}, null, 'x']}, 'bans'), [{id: 1}]);
  assert.deepEqual(entriesOf(null, 'bans'), []);
});
