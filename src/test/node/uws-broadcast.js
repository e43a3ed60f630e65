// The fastest reference of the benchmark (chatroom.bench.ReferenceServer starts it): uWebSockets.js's pub/sub
// broadcast, speaking the chat room's plain protocol on 127.0.0.1, like ws-broadcast.js beside it: every text frame any
// client sends goes to every open client of its room, sender included (app.publish, unlike ws.publish, does not skip
// the sender), as it is. The room is the query's `room=` (a topic per room), `general` without one, as the chat room's
// /message. No limits, no slow-consumer rule, no pings. It also answers GET <any path>health with {"connections":N}.
// Loopback only; the port comes from the OS and is printed as "listening <port>".
//
// The package's own entry point silently falls back to a JavaScript implementation built on ws when its native
// binary does not load: that would be measured as "uWS" while being ws. So the binary is loaded directly, and where
// it cannot be, the script prints "error <why>" and exits, and the benchmark says so and keeps ws as the yardstick.
'use strict';
const path = require('path');

let uws;
try {
  const root = path.dirname(require.resolve('@trufflesuite/uws-js-unofficial/package.json'));
  uws = require(path.join(root, 'binaries',
    'uws_' + process.platform + '_' + process.arch + '_' + process.versions.modules + '.node'));
} catch (e) {
  console.log('error uWebSockets.js has no native binary for node ' + process.version + ' on ' + process.platform
    + '-' + process.arch + ': ' + String(e.message).split('\n')[0]);
  process.exit(1);
}

const DEFAULT_ROOM = 'general';
let connections = 0;

const app = uws.App()
  .ws('/*', {
    compression: uws.DISABLED,
    maxPayloadLength: 16 * 1024 * 1024,
    // 0: no idle timeout and no pings, as the ws reference.
    idleTimeout: 0,
    // Above this many bytes queued for one socket uWS skips it in a publish (drops the message for it). No scenario
    // queues a gigabyte for one reader, so this is "no limit", as in the ws reference.
    maxBackpressure: 1024 * 1024 * 1024,
    // The room is read here, where the request is: the socket keeps it as its user data.
    upgrade: (res, req, context) => {
      res.upgrade({ room: req.getQuery('room') || DEFAULT_ROOM }, req.getHeader('sec-websocket-key'),
        req.getHeader('sec-websocket-protocol'), req.getHeader('sec-websocket-extensions'), context);
    },
    open: (ws) => {
      connections++;
      ws.subscribe(ws.getUserData().room);
    },
    message: (ws, message, isBinary) => {
      app.publish(ws.getUserData().room, message, isBinary);
    },
    close: () => {
      connections--;
    },
  })
  .get('/*', (res, req) => {
    if (req.getUrl().endsWith('/health')) {
      res.writeHeader('content-type', 'application/json')
        .end(JSON.stringify({ status: 'up', connections }));
    } else {
      res.writeStatus('404 Not Found').end();
    }
  });

app.listen('127.0.0.1', 0, (token) => {
  if (!token) {
    console.log('error uWebSockets.js could not listen on 127.0.0.1');
    process.exit(1);
  }
  console.log('listening ' + uws.us_socket_local_port(token));
});
process.on('SIGTERM', () => process.exit(0));
