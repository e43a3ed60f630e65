// The latency histogram of chatroom.bench.Histogram, in JavaScript, so the Node generator's latencies merge with the
// Java generator's: microseconds, exact below 128, then 64 buckets per power of two; sparse text "max/index:count,...".
'use strict';
const LINEAR = 128;
const SUB = 64;
const SIZE = LINEAR + 40 * SUB;

function index(micros) {
  const v = Math.max(0, Math.floor(micros));
  if (v < LINEAR) {
    return v;
  }
  const exponent = Math.floor(Math.log2(v));
  // Math.log2 may round up just below a power of two: the bucket's first value must not exceed v.
  const e = 2 ** exponent > v ? exponent - 1 : exponent;
  const sub = Math.floor(v / 2 ** (e - 6)) % SUB;
  return Math.min(SIZE - 1, LINEAR + (e - 7) * SUB + sub);
}

class Histogram {
  constructor() {
    this.reset();
  }

  record(micros) {
    const v = Math.max(0, Math.floor(micros));
    this.counts[index(v)]++;
    if (v > this.max) {
      this.max = v;
    }
  }

  reset() {
    this.counts = new Float64Array(SIZE);
    this.max = 0;
  }

  encode() {
    const pairs = [];
    for (let i = 0; i < SIZE; i++) {
      if (this.counts[i] !== 0) {
        pairs.push(i + ':' + this.counts[i]);
      }
    }
    return this.max + '/' + pairs.join(',');
  }
}

module.exports = { Histogram, index };
