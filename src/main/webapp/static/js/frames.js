/*
 * What arrives from the server, pure: reading chat.v1 frames and the embedded history, and de-duplication by id.
 * Unit-tested in src/test/js/frames.test.js.
 */

export function isMessage(m) {
  return Boolean(m) && typeof m.id === 'number' && typeof m.from === 'string' && typeof m.text === 'string';
}

/**
 * The objects in one frame: the server may batch several, one JSON object per line. A line that is not JSON is
 * skipped (chat.v1 only ever sends JSON, so it is not ours to show).
 */
export function parseFrame(data) {
  if (typeof data !== 'string') {
    return [];
  }
  const frames = [];
  for (const line of data.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) {
      continue;
    }
    try {
      const frame = JSON.parse(trimmed);
      if (frame && typeof frame === 'object') {
        frames.push(frame);
      }
    } catch (e) {
      // skipped, see above
    }
  }
  return frames;
}

/** The history embedded in the page: its well-formed messages, or none if the embed is broken. */
export function parseHistory(json) {
  try {
    const parsed = JSON.parse(json || '[]');
    return Array.isArray(parsed) ? parsed.filter(isMessage) : [];
  } catch (e) {
    // A broken embed must not stop the live chat: the socket replays what the room still has.
    return [];
  }
}

/**
 * The id of the last message shown, which is also where the socket resumes (?since=). Ids are room-wide and
 * strictly increasing, so a message at or below it was shown already: replays after a reconnect and a history
 * that overlaps the live stream are dropped here.
 */
export class SeenIds {
  constructor(lastId = 0) {
    this.lastId = lastId;
  }

  /** True (and remembered) if the message is new; false for a duplicate or anything that is not a message. */
  accept(message) {
    if (!isMessage(message) || message.id <= this.lastId) {
      return false;
    }
    this.lastId = message.id;
    return true;
  }

  /** Only moves forward: an empty history's lastId from the server is a resume point, never a step back. */
  atLeast(id) {
    if (typeof id === 'number' && id > this.lastId) {
      this.lastId = id;
    }
  }

  /**
   * A welcome whose lastId is below what we have shown comes from another room (its store was wiped): our ids
   * say nothing about its ones.
   */
  isFromAnotherRoom(welcome) {
    return typeof welcome.lastId === 'number' && welcome.lastId < this.lastId;
  }

  reset() {
    this.lastId = 0;
  }
}
