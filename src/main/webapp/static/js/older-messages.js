/*
 * Scrollback: when the reader reaches the top of the message list (or the list is too short to scroll), asks
 * the server for the page just older than the oldest message shown and puts it above. One request at a time;
 * what to insert and whether more may exist is decided by scrollback.js.
 */
import {PAGE_SIZE, historyUrl, mergeOlder} from './scrollback.js';

// How close to the top counts as "at the top": the next page is fetched a little before the very first line.
const TOP_SLACK_PX = 64;

export class OlderMessages {
  /** lastSeenId() is where the socket resumes: with nothing shown yet, older pages start just after it. */
  constructor(contextPath, view, lastSeenId, room = null) {
    this.contextPath = contextPath;
    this.room = room;
    this.view = view;
    this.list = view.list;
    this.lastSeenId = lastSeenId;
    this.loading = false;
    this.list.addEventListener('scroll', () => this.loadIfAtTop());
  }

  /** Loads the next older page if the reader is at the top and the beginning has not been reached. */
  loadIfAtTop() {
    const list = this.list;
    // A hidden list (nickname form open) measures 0: nothing is read there.
    if (this.loading || list.clientHeight === 0 || list.scrollTop > TOP_SLACK_PX || this.view.earlierState() === 'end') {
      return;
    }
    const before = this.view.oldestId() || this.lastSeenId() + 1;
    if (before <= 1) {
      this.view.setEarlierState('end'); // an empty room: nothing older can exist
      return;
    }
    this.load(before);
  }

  async load(before) {
    this.loading = true;
    this.view.setEarlierState('loading');
    let merged;
    try {
      const response = await fetch(historyUrl(this.contextPath, before, PAGE_SIZE, this.room), {headers: {Accept: 'application/json'}});
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      merged = mergeOlder(await response.json(), before, PAGE_SIZE);
    } catch (e) {
      // Offline, or the store is unavailable: say so; the next scroll to the top tries again.
      this.loading = false;
      this.view.setEarlierState('failed');
      return;
    }
    // What is shown may have changed meanwhile (another room started over): only what is still older goes in.
    const oldest = this.view.oldestId();
    const insert = oldest ? merged.insert.filter((m) => m.id < oldest) : merged.insert;
    this.view.setEarlierState(merged.more ? 'idle' : 'end');
    this.view.prependOlder(insert);
    this.loading = false;
    // A list still too short to scroll gets the next page at once; a scrolled one waits for the reader.
    this.loadIfAtTop();
  }
}
