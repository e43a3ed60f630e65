/* The status line under the header: Connecting, Connected, Reconnecting in N s, Offline. */
export class StatusLine {
  constructor(node) {
    this.node = node;
  }

  show(kind, text) {
    this.node.className = 'status ' + kind;
    // Rewriting the same text would make screen readers announce it again (the line is a live region).
    if (this.node.textContent !== text) {
      this.node.textContent = text;
    }
  }
}
