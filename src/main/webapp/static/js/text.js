/*
 * Pure text logic, no DOM: length as the server counts it, links, mentions. Unit-tested in
 * src/test/js/text.test.js.
 */

/**
 * Length in code points, as the server counts it (Java's String.codePointCount, InboundParser): an emoji
 * outside the Basic Multilingual Plane is one character, not two UTF-16 units. A lone surrogate counts as one,
 * as it does in Java.
 */
export function codePointLength(text) {
  let count = 0;
  for (const _ of text) { // iterating a string walks code points, not UTF-16 units
    count += 1;
  }
  return count;
}

// A candidate starts with http:// or https:// (any case) at the start of the text, after white space or after an
// opening bracket, and runs to the next white space or character that cannot be part of a bare URL. Anything
// glued to a word ("xhttp://", "javascript:http://", href="http://...") is left alone: that is what markup
// and look-alike schemes look like.
const URL_CANDIDATE = /(^|[\s([{])(https?:\/\/[^\s<>"'`\u0000-\u001f\u007f-\u009f]+)/gi;
// Punctuation that usually ends the sentence around a URL rather than the URL itself.
const TRAILING = '.,;:!?]}';

/**
 * Splits text into plain and link segments: [{text}, {text, href}, ...]. Joining every segment's text gives
 * back the input unchanged, so rendering segments as text nodes and links shows exactly what was sent.
 * Only http and https URLs with a host and without credentials become links ("http://bank.com@evil.example"
 * is a look-alike, so it stays text); href is the URL as the browser parses it.
 */
export function linkSegments(text) {
  const segments = [];
  let plainStart = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const start = match.index + match[1].length;
    const raw = trimTrailing(match[2]);
    const href = safeHref(raw);
    if (!href) {
      continue;
    }
    if (start > plainStart) {
      segments.push({text: text.slice(plainStart, start)});
    }
    segments.push({text: raw, href});
    plainStart = start + raw.length;
  }
  if (plainStart < text.length || segments.length === 0) {
    segments.push({text: text.slice(plainStart)});
  }
  return segments;
}

// A closing parenthesis belongs to the URL only when the URL opened it (Wikipedia's "Foo_(bar)"); other
// trailing punctuation ends the sentence, not the URL.
function trimTrailing(url) {
  let end = url.length;
  while (end > 0) {
    const last = url[end - 1];
    if (last === ')') {
      const body = url.slice(0, end);
      if (count(body, '(') >= count(body, ')')) {
        break;
      }
    } else if (!TRAILING.includes(last)) {
      break;
    }
    end -= 1;
  }
  return url.slice(0, end);
}

function count(text, ch) {
  return text.split(ch).length - 1;
}

function safeHref(raw) {
  let url;
  try {
    url = new URL(raw);
  } catch (e) {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname || url.username || url.password) {
    return null;
  }
  return url.href;
}

const WORD_CHAR = '[\\p{L}\\p{N}\\p{M}_]';

/**
 * Whether the text names this nickname as a whole word, ignoring case: "hi Ana", "@ana!" and "ANA:" mention
 * ana, "banana" and "ana_b" do not. A nickname may hold any characters, so it is matched literally.
 */
export function mentions(text, nickname) {
  const name = nickname ? nickname.trim() : '';
  if (!name) {
    return false;
  }
  const literal = name.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&');
  // A name that itself starts or ends with a non-word character ("-x-") needs no word boundary on that side.
  const before = new RegExp('^' + WORD_CHAR, 'u').test(name) ? '(?<!' + WORD_CHAR + ')' : '';
  const after = new RegExp(WORD_CHAR + '$', 'u').test(name) ? '(?!' + WORD_CHAR + ')' : '';
  return new RegExp(before + literal + after, 'iu').test(text);
}
