/*
 * The message input: the counter near the limit and the length check, both in code points as the server counts
 * (so what the counter allows, the server accepts), and sending with Enter or the button.
 */
import {codePointLength} from './text.js';

/** What the counter shows: characters left, and whether to show it at all (only near the limit). */
export function counterState(text, maxLength) {
  const left = maxLength - codePointLength(text);
  return {left, show: left <= Math.max(20, Math.floor(maxLength * 0.1)), over: left < 0};
}

export class Composer {
  /** onSend(text): a message to queue; onTooLong(): the text is over the limit and was kept in the input. */
  constructor({form, input, counter, maxLength, onSend, onTooLong}) {
    this.input = input;
    this.counter = counter;
    this.maxLength = maxLength;
    this.onSend = onSend;
    this.onTooLong = onTooLong;
    // The browser's maxlength counts UTF-16 units: it would stop an emoji-rich text the server accepts.
    // The counter and send() enforce the limit the server's way instead.
    input.removeAttribute('maxlength');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.send();
    });
    input.addEventListener('input', () => this.updateCounter());
  }

  send() {
    const text = this.input.value;
    if (!text.trim()) {
      return;
    }
    if (counterState(text, this.maxLength).over) {
      this.onTooLong();
      return;
    }
    this.input.value = '';
    this.updateCounter();
    this.onSend(text);
    this.input.focus();
  }

  updateCounter() {
    const state = counterState(this.input.value, this.maxLength);
    this.counter.hidden = !state.show;
    if (state.show) {
      this.counter.textContent = String(state.left);
      this.counter.classList.toggle('at-limit', state.left <= 0);
    }
    this.input.setAttribute('aria-invalid', state.over ? 'true' : 'false');
  }

  focus() {
    this.input.focus();
  }
}
