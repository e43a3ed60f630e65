import {codePointLength, linkSegments, mentions} from '../static/js/text.js';
import {assert, test} from './runner.js';

test('codePointLength counts an astral emoji once, as Java codePointCount does', () => {
  assert.equal(codePointLength(''), 0);
  assert.equal(codePointLength('abc'), 3);
  assert.equal(codePointLength('\u{1F600}'), 1, 'one emoji, two UTF-16 units');
  assert.equal('\u{1F600}'.length, 2, 'what the old counter used');
  assert.equal(codePointLength('h\u00e9\u{1F44D}\u{1D11E}'), 4, 'BMP, astral and a musical symbol');
  assert.equal(codePointLength('\uD83D'), 1, 'a lone surrogate counts as one, as in Java');
  assert.equal(codePointLength('\u{1F468}\u200D\u{1F469}'), 3, 'a joined family is three code points, as the server counts');
});

function links(text) {
  return linkSegments(text).filter((s) => s.href).map((s) => [s.text, s.href]);
}

test('linkSegments keeps the text whole: joined segments give back the input', () => {
  for (const text of ['', 'plain', 'see https://example.com/a?b=1#c, then http://x.org.',
    '(https://en.wikipedia.org/wiki/Foo_(bar))', 'javascript:alert(1)', 'http://a http://b']) {
    assert.equal(linkSegments(text).map((s) => s.text).join(''), text, text);
  }
});

test('linkSegments links http and https URLs at a word start', () => {
  assert.deepEqual(links('see https://example.com/a?b=1#c now'), [['https://example.com/a?b=1#c', 'https://example.com/a?b=1#c']]);
  assert.deepEqual(links('http://example.org'), [['http://example.org', 'http://example.org/']]);
  assert.deepEqual(links('HTTPS://Example.COM/x'), [['HTTPS://Example.COM/x', 'https://example.com/x']]);
  assert.deepEqual(links('two: http://a.example and http://b.example'),
      [['http://a.example', 'http://a.example/'], ['http://b.example', 'http://b.example/']]);
});

test('linkSegments leaves sentence punctuation and unopened brackets outside the link', () => {
  assert.deepEqual(links('look at http://x.example/page.'), [['http://x.example/page', 'http://x.example/page']]);
  assert.deepEqual(links('(see http://x.example/a)'), [['http://x.example/a', 'http://x.example/a']]);
  assert.deepEqual(links('https://en.wikipedia.org/wiki/Foo_(bar)!'),
      [['https://en.wikipedia.org/wiki/Foo_(bar)', 'https://en.wikipedia.org/wiki/Foo_(bar)']]);
});

test('linkSegments never links other schemes, markup or look-alikes', () => {
  for (const text of [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(document.cookie)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox',
    'file:///etc/passwd',
    'ftp://example.com',
    '<a href="http://evil.example">x</a>',
    "<img src=x onerror=alert('http://a')>",
    'javascript://http://evil.example',
    'xhttp://evil.example',
    'hxxp://evil.example',
    'http:/evil.example',
    'https//evil.example',
    'http://',
    'http://bank.example@evil.example/login',
    'http://user:pass@evil.example',
    '\uFF48\uFF54\uFF54\uFF50://evil.example'
  ]) {
    assert.deepEqual(links(text), [], text);
  }
});

test('mentions finds the nickname as a whole word, ignoring case', () => {
  assert.ok(mentions('hi ana', 'ana'));
  assert.ok(mentions('@Ana: look', 'ana'));
  assert.ok(mentions('ANA!', 'ana'));
  assert.ok(mentions('Ana', 'aNa'));
  assert.ok(mentions('thanks, bob-smith.', 'Bob-Smith'));
  assert.ok(mentions('salut \u00c9lodie', '\u00e9lodie'), 'non-ASCII case folding');
  assert.ok(mentions('ping c++ dev', 'c++'), 'regex characters are literal');
  assert.notOk(mentions('banana', 'ana'), 'inside a word');
  assert.notOk(mentions('ana_b was here', 'ana'), 'underscore is a word character');
  assert.notOk(mentions('ana2', 'ana'), 'digit continues the word');
  assert.notOk(mentions('cxx dev', 'c++'));
  assert.notOk(mentions('anything', ''), 'no name, no mention');
});
