/*
 * Messages typed here and not yet confirmed by the server, pure (no DOM, no socket): which to send, which to
 * send again after a reconnect, which one an error refused. Unit-tested in src/test/js/pending.test.js and own.test.js.
 *
 * A pending send is {cid, text, status}; status is 'queued' (waiting for a connection), 'sent' (on the wire,
 * awaiting its echo) or 'failed' (refused; the user may retry). `onChange(p)` is told of every status change,
 * so the view can follow.
 *
 * Every cid reaches every member with its message, so anyone can send a message carrying one of ours: only the
 * sender's name, which the server sets, says whose a message is (isOwnMessage), and only an echo from our own
 * name confirms a pending send.
 */

/** Ours only when it comes from our name; a cid proves nothing (see above). */
export function isOwnMessage(m, me) {
  return typeof me === 'string' && me !== '' && Boolean(m) && m.from === me;
}

export class PendingSends {
  constructor(cidPrefix, onChange = () => {}) {
    this.cidPrefix = cidPrefix;
    this.onChange = onChange;
    this.counter = 0;
    this.items = [];
  }

  /** Queues a new message; its cid is unique per page and stays the same across re-sends. */
  add(text) {
    this.counter += 1;
    const p = {cid: this.cidPrefix + '-' + this.counter.toString(36), text, status: 'queued'};
    this.items.push(p);
    return p;
  }

  first() {
    return this.items[0] || null;
  }

  get size() {
    return this.items.length;
  }

  /** The messages to put on the wire now, in the order they were typed. */
  toSend() {
    return this.items.filter((p) => p.status === 'queued');
  }

  markSent(p) {
    this.setStatus(p, 'sent');
  }

  /**
   * A connection dropped: what was on the wire may or may not have arrived. Queue it again with the same cid, so
   * the next connection re-sends it and the server drops the duplicate.
   */
  requeueInFlight() {
    for (const p of this.items) {
      if (p.status === 'sent') {
        this.setStatus(p, 'queued');
      }
    }
  }

  /**
   * The server echoed a message: if it is ours (from `me`) and carries a pending cid, that send is no longer
   * pending. Returns it, or null.
   */
  confirm(message, me) {
    if (!isOwnMessage(message, me) || typeof message.cid !== 'string') {
      return null;
    }
    const index = this.items.findIndex((p) => p.cid === message.cid);
    return index < 0 ? null : this.items.splice(index, 1)[0];
  }

  /**
   * The server refused a message. With a cid it is exact; without one, errors answer our frames in order, so the
   * oldest message still on the wire is the one refused. Returns the failed message, or null.
   */
  refuse(cid) {
    const target = this.items.find((p) => typeof cid === 'string' && p.cid === cid)
        || this.items.find((p) => p.status === 'sent');
    if (target) {
      this.setStatus(target, 'failed');
    }
    return target || null;
  }

  retry(p) {
    this.setStatus(p, 'queued');
  }

  setStatus(p, status) {
    if (p.status !== status) {
      p.status = status;
      this.onChange(p);
    }
  }
}

/** A random cid prefix, so two pages (or one page reloaded) never make the same cid. */
export function makeCidPrefix(crypto = globalThis.crypto) {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return ('c' + words[0].toString(36) + words[1].toString(36)).slice(0, 21);
}
