/*
 * A tiny test runner for the page's pure modules, run in Chromium by PageLogicIT: each test's result is read
 * by the Java test and reported as one JUnit test. No framework: test(), a few assertions, run().
 */
const tests = [];

export function test(name, body) {
  tests.push({name, body});
}

export class AssertionFailed extends Error {}

function show(value) {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
}

export const assert = {
  equal(actual, expected, what = '') {
    if (!Object.is(actual, expected)) {
      throw new AssertionFailed((what ? what + ': ' : '') + 'expected ' + show(expected) + ', got ' + show(actual));
    }
  },
  deepEqual(actual, expected, what = '') {
    if (show(actual) !== show(expected)) {
      throw new AssertionFailed((what ? what + ': ' : '') + 'expected ' + show(expected) + ', got ' + show(actual));
    }
  },
  ok(value, what = 'expected true') {
    if (value !== true) {
      throw new AssertionFailed(what + ' (got ' + show(value) + ')');
    }
  },
  notOk(value, what = 'expected false') {
    if (value !== false) {
      throw new AssertionFailed(what + ' (got ' + show(value) + ')');
    }
  }
};

/** Runs every registered test, in order; a test may be async. Results: [{name, ok, message}]. */
export async function run() {
  const results = [];
  for (const {name, body} of tests) {
    try {
      await body();
      results.push({name, ok: true, message: ''});
    } catch (e) {
      results.push({name, ok: false, message: e instanceof AssertionFailed ? e.message : String(e && e.stack || e)});
    }
  }
  return results;
}
