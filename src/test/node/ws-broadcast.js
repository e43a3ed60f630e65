// The reference server of the benchmark (chatroom.bench.ReferenceServer starts it): the `ws` package's broadcast
// server, as in its README ("Server broadcast"), speaking the chat room's plain protocol on 127.0.0.1: every text
// frame any client sends goes to every open client of its room, sender included, as it is. No limits, no
// slow-consumer rule. The room is the query's `room=`, `general` without one, as the chat room's /message; each room
// is a Set of its sockets (a Map from name to Set), so a broadcast walks only its room.
// It also answers GET <any path>health with {"connections":N}, so the benchmark waits for connections the same way
// it does on the chat room. Loopback only; the port comes from the OS and is printed as "listening <port>".
'use strict';
const http = require('http');
const { WebSocketServer, WebSocket } = require('ws');

const DEFAULT_ROOM = 'general';
const rooms = new Map();

const server = http.createServer((req, res) => {
  if (req.url.endsWith('/health')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'up', connections: wss.clients.size }));
  } else {
    res.writeHead(404);
    res.end();
  }
});
// perMessageDeflate is off by default in ws 8; clientTracking keeps wss.clients, which /health counts.
const wss = new WebSocketServer({ server, maxPayload: 16 * 1024 * 1024 });

wss.on('connection', (ws, req) => {
  const name = new URL(req.url, 'http://127.0.0.1').searchParams.get('room') || DEFAULT_ROOM;
  let room = rooms.get(name);
  if (!room) {
    room = new Set();
    rooms.set(name, room);
  }
  room.add(ws);
  ws.on('error', () => {});
  ws.on('close', () => {
    room.delete(ws);
    if (room.size === 0 && rooms.get(name) === room) {
      rooms.delete(name); // an empty room costs nothing, as in the chat room
    }
  });
  ws.on('message', (data, isBinary) => {
    room.forEach((client) => {
      if (client.readyState === WebSocket.OPEN) {
        client.send(data, { binary: isBinary });
      }
    });
  });
});

server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
process.on('SIGTERM', () => process.exit(0));
