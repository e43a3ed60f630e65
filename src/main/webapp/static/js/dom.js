/* Small DOM helpers. User data reaches the DOM through textContent only: this is the page's escape boundary. */

export function byId(id) {
  return document.getElementById(id);
}

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  return node;
}

export function pad2(n) {
  return n < 10 ? '0' + n : String(n);
}

export function fullDate(date) {
  try {
    return date.toLocaleString(undefined, {dateStyle: 'full', timeStyle: 'medium'});
  } catch (e) {
    return date.toString();
  }
}

/** A stable colour per name, so a sender is recognisable at a glance. */
export function hueOf(name) {
  let hash = 0;
  for (let i = 0; i < name.length; i++) {
    hash = (hash * 31 + name.charCodeAt(i)) | 0;
  }
  return Math.abs(hash) % 360;
}
