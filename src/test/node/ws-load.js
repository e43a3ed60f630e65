// A load-generator process built on the `ws` npm client (chatroom.bench.Bench starts it with -Dbench.generators=node):
// clients that cost what real clients cost, where LoadWorker's hand-written NIO clients read whatever the socket has
// in one go and never decode it. Here every frame is one 'message' event, its text decoded (UTF-8 to a string), a
// chat.v1 frame split into lines and each line parsed as JSON, as the page does.
//
// It speaks LoadWorker's command protocol on stdin/stdout (one command a line, one answer line per command, handled
// one after the other) for the commands the measuring scenarios use: connect, senders, run, stats, reset, pause,
// resume, close; not churn. Its messages are LoadWorker's: "m,<sender>,<seq>,<monotonic ns>,xxx...", chat.v1 wrapped
// in {"type":"message","cid":...,"text":...}. process.hrtime and Java's System.nanoTime read the same clock on Linux
// (CLOCK_MONOTONIC), so latencies come from the text alone, as in LoadWorker. Loopback only; every wait is bounded.
'use strict';
const readline = require('readline');
const WebSocket = require('ws');
const { Histogram } = require('./histogram');

const now = () => Number(process.hrtime.bigint());
const MS = 1e6;

let conns = [];
let senders = [];
let totalSenders = 0;
const latency = new Histogram();
let counters;
let periodStart;
let closes;

function reset() {
  counters = { received: 0, frames: 0, bytes: 0, stale: 0, gaps: 0, dups: 0, errors: 0, other: 0, sent: 0, lagNs: 0 };
  periodStart = now();
  closes = new Map();
  latency.reset();
}
reset();

function args(words) {
  const out = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    out[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return out;
}

// ------------------------------------------------------------------ receiving

function onMessage(conn, data) {
  const text = data.toString('utf8');
  counters.frames++;
  counters.bytes += data.length;
  if (!conn.v1) {
    if (text.startsWith('m,')) {
      delivered(conn, text);
    } else {
      counters.other++;
    }
    return;
  }
  for (const line of text.split('\n')) {
    let envelope;
    try {
      envelope = JSON.parse(line);
    } catch (e) {
      counters.other++;
      continue;
    }
    if (envelope.type === 'message' && typeof envelope.text === 'string' && envelope.text.startsWith('m,')) {
      delivered(conn, envelope.text);
    } else if (envelope.type === 'error') {
      counters.errors++;
    } else {
      counters.other++;
    }
  }
}

/** A message's text, "m,<sender>,<seq>,<sent ns>,...": its latency, and gaps or duplicates per sender. */
function delivered(conn, text) {
  const fields = text.split(',', 4);
  const sid = Number(fields[1]);
  const seq = Number(fields[2]);
  const sentNs = Number(fields[3]);
  const at = now();
  if (sentNs >= periodStart) {
    counters.received++;
    latency.record((at - sentNs) / 1000);
  } else {
    counters.stale++;
  }
  if (sid < totalSenders) {
    const last = conn.lastSeq[sid] || 0;
    if (seq <= last) {
      counters.dups++;
    } else {
      if (last > 0 && seq > last + 1) {
        counters.gaps += seq - last - 1;
      }
      conn.lastSeq[sid] = seq;
    }
  }
  if (conn.sender && conn.sender.id === sid && conn.sender.outstanding > 0) {
    conn.sender.outstanding--;
    if (running && running.window > 0) {
      pump(running);
    }
  }
}

// ------------------------------------------------------------------ connecting and closing

function open(url, v1, conn) {
  const ws = new WebSocket(url, v1 ? ['chat.v1'] : [], {
    // No permessage-deflate: the same wire as LoadWorker's clients, so the two generators differ only in how they read.
    perMessageDeflate: false,
    maxPayload: 64 * 1024 * 1024,
  });
  conn.ws = ws;
  ws.on('message', (data) => onMessage(conn, data));
  ws.on('error', () => {});
  ws.on('close', (code) => {
    if (conn.state === 'open' && !conn.weClosed) {
      const key = (conn.stalled ? 's' : '') + (code === 1006 ? 'eof' : String(code));
      closes.set(key, (closes.get(key) || 0) + 1);
    }
    conn.state = 'closed';
    conn.onSettled();
  });
  ws.on('open', () => {
    conn.state = 'open';
    conn.onSettled();
  });
}

function connect(a) {
  const target = Number(a.n || 0);
  const parallel = Number(a.parallel || 200);
  const deadline = now() + Number(a.ms || 60000) * MS;
  const url = 'ws://127.0.0.1:' + a.port + (a.path || '/chatroom/message');
  const v1 = a.proto === 'v1';
  const begin = now();
  let started = 0;
  let opened = 0;
  let failed = 0;
  let pending = 0;
  let maxHandshakeNs = 0;
  return new Promise((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) {
        return;
      }
      finished = true;
      clearTimeout(timer);
      resolve('ok opened=' + opened + ' failed=' + (target - opened) + ' cycles=0 ms=' + Math.round((now() - begin) / MS)
        + ' maxHandshakeMs=' + Math.round(maxHandshakeNs / MS) + ' stillOpen=0');
    };
    const timer = setTimeout(() => {
      // Out of time: the handshakes still under way are given up.
      for (const conn of conns) {
        if (conn.state === 'connecting') {
          conn.ws.terminate();
        }
      }
      finish();
    }, Math.max(0, (deadline - now()) / MS));
    const more = () => {
      while (!finished && pending < parallel && started < target) {
        const conn = { v1, state: 'connecting', weClosed: false, stalled: false, lastSeq: [], sender: null };
        const startNs = now();
        let settled = false;
        conn.onSettled = () => {
          if (settled) {
            return;
          }
          settled = true;
          pending--;
          if (conn.state === 'open') {
            opened++;
            maxHandshakeNs = Math.max(maxHandshakeNs, now() - startNs);
          } else {
            failed++;
          }
          if (opened + failed === target) {
            finish();
          } else {
            more();
          }
        };
        started++;
        pending++;
        conns.push(conn);
        open(url, v1, conn);
      }
      if (target === 0) {
        finish();
      }
    };
    more();
  });
}

function closeAll() {
  senders = [];
  running = null;
  const closing = conns.filter((c) => c.state !== 'closed');
  return new Promise((resolve) => {
    let left = closing.length;
    const done = () => {
      clearTimeout(timer);
      const lingering = conns.filter((c) => c.state !== 'closed');
      lingering.forEach((c) => c.ws.terminate());
      conns = [];
      resolve('ok closed lingering=' + lingering.length);
    };
    const timer = setTimeout(done, 20000);
    if (left === 0) {
      done();
      return;
    }
    for (const conn of closing) {
      conn.weClosed = true;
      conn.ws.once('close', () => {
        if (--left === 0) {
          done();
        }
      });
      if (conn.stalled) {
        conn.ws.resume();
      }
      conn.ws.close(1000);
    }
  });
}

// ------------------------------------------------------------------ sending

let running = null;

function send(sender, size) {
  const seq = ++sender.seq;
  let text = 'm,' + sender.id + ',' + seq + ',' + now() + ',';
  if (text.length < size) {
    text += 'x'.repeat(size - text.length);
  }
  if (sender.conn.v1) {
    text = '{"type":"message","cid":"' + sender.id + '-' + seq + '","text":"' + text + '"}';
  }
  sender.conn.ws.send(text);
  counters.sent++;
  running.sent++;
}

/** Sends what is due: at a rate, every sender on its schedule; flat out (rate 0), up to the window not yet echoed. */
function pump(run) {
  const t = now();
  const stop = Math.min(t, run.end);
  let wake = run.end;
  for (const s of senders) {
    if (s.conn.state !== 'open') {
      continue;
    }
    let burst = 0;
    if (run.interval > 0) {
      while (s.next <= stop && s.seq < run.max && burst++ < 1000) {
        counters.lagNs = Math.max(counters.lagNs, t - s.next);
        send(s, run.size);
        s.next += run.interval;
      }
      wake = Math.min(wake, s.next);
    } else {
      while (s.outstanding < run.window && t < run.end && s.seq < run.max && burst++ < 1000) {
        send(s, run.size);
        s.outstanding++;
      }
    }
  }
  return wake;
}

function run(a) {
  const rate = Number(a.rate);
  const start = now();
  const r = {
    interval: rate > 0 ? 1e9 / rate : 0,
    size: Number(a.size || 64),
    window: Number(a.window || 0),
    max: Number(a.max || 1000000),
    end: start + Number(a.ms) * MS,
    sent: 0,
  };
  senders.forEach((s, i) => {
    // Spread the senders' phases over one interval so they do not all fire in the same instant.
    s.next = start + (r.interval * i) / Math.max(1, senders.length);
    s.outstanding = 0;
  });
  running = r;
  return new Promise((resolve) => {
    const tick = () => {
      if (running !== r) {
        resolve('ok sent=' + r.sent);
        return;
      }
      const wake = pump(r);
      if (now() >= r.end) {
        running = null;
        resolve('ok sent=' + r.sent);
        return;
      }
      setTimeout(tick, Math.max(0, Math.floor((Math.min(wake, r.end) - now()) / MS)));
    };
    tick();
  });
}

function chooseSenders(a) {
  const n = Number(a.n);
  const base = Number(a.base || 0);
  totalSenders = Number(a.total);
  senders = [];
  for (const conn of conns) {
    if (senders.length === n) {
      break;
    }
    if (conn.state === 'open') {
      conn.sender = { conn, id: base + senders.length, seq: 0, next: 0, outstanding: 0 };
      senders.push(conn.sender);
    }
  }
  return 'ok senders=' + senders.length;
}

// ------------------------------------------------------------------ commands

function stats() {
  const c = counters;
  const cpu = process.cpuUsage();
  const closeText = [...closes.entries()].sort().map(([k, v]) => k + ':' + v).join(',');
  return 'stats open=' + conns.filter((x) => x.state === 'open').length + ' received=' + c.received + ' frames=' + c.frames
    + ' bytes=' + c.bytes + ' stale=' + c.stale + ' gaps=' + c.gaps + ' dups=' + c.dups + ' errors=' + c.errors
    + ' other=' + c.other + ' sent=' + c.sent + ' lagUs=' + Math.round(c.lagNs / 1000)
    + ' cpuNs=' + (cpu.user + cpu.system) * 1000 + ' closes=' + (closeText || '-') + ' hist=' + latency.encode();
}

async function command(line) {
  const words = line.trim().split(/\s+/);
  const a = args(words.slice(1));
  switch (words[0]) {
    case 'connect':
      return connect(a);
    case 'senders':
      return chooseSenders(a);
    case 'run':
      return run(a);
    case 'stats':
      return stats();
    case 'reset':
      reset();
      return 'ok';
    case 'pause':
      conns.slice(conns.length - Number(a.n)).forEach((c) => {
        c.stalled = true;
        c.ws.pause();
      });
      return 'ok';
    case 'resume':
      conns.forEach((c) => c.ws.resume());
      return 'ok';
    case 'close':
      return closeAll();
    case 'quit':
      process.exit(0);
      return 'ok';
    default:
      return 'error the node generator has no command ' + words[0];
  }
}

// One command at a time, in order, as LoadWorker does: a command waits until the one before it has answered.
let queue = Promise.resolve();
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  queue = queue.then(() => command(line)).catch((e) => 'error ' + e).then((answer) => process.stdout.write(answer + '\n'));
}).on('close', () => process.exit(0));
