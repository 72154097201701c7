// A small HDR-like log-linear histogram of latencies in microseconds.
// Values below 128 us are exact; above, every power of two is split into 128 sub-buckets, so a
// reported percentile is within ~0.8 % of the true value. Histograms from several processes are
// merged by adding their (sparse) bucket counts, so no raw samples cross the IPC channel.

const SUB = 128; // sub-buckets per power of two
const SUB_BITS = 7;

export function bucketOf(us) {
  const v = Math.max(0, Math.floor(us));
  if (v < SUB) return v;
  const e = 31 - Math.clz32(v); // floor(log2 v), >= 7
  const shift = e - SUB_BITS;
  const sub = (v >>> shift) - SUB; // 0..127
  return SUB + shift * SUB + sub;
}

/** Representative value (midpoint) of a bucket, in microseconds. */
export function valueOf(bucket) {
  if (bucket < SUB) return bucket;
  const shift = Math.floor((bucket - SUB) / SUB);
  const sub = (bucket - SUB) % SUB;
  const low = (SUB + sub) * 2 ** shift;
  const width = 2 ** shift;
  return low + (width - 1) / 2;
}

export class Histogram {
  constructor() {
    this.counts = new Map(); // bucket -> count
    this.n = 0;
    this.max = 0; // exact, in us
    this.min = Infinity;
    this.sum = 0;
  }

  recordMs(ms) {
    // Clock skew between processes can make a tiny negative value: clamp at 0.
    const us = Math.max(0, ms * 1000);
    if (us > 2 ** 31 - 1) return this.recordMs((2 ** 31 - 2) / 1000);
    const b = bucketOf(us);
    this.counts.set(b, (this.counts.get(b) ?? 0) + 1);
    this.n++;
    this.sum += us;
    if (us > this.max) this.max = us;
    if (us < this.min) this.min = us;
  }

  toJSON() {
    return { counts: [...this.counts.entries()], n: this.n, max: this.max, min: this.min, sum: this.sum };
  }

  static from(json) {
    const h = new Histogram();
    h.merge(json);
    return h;
  }

  merge(other) {
    const o = other instanceof Histogram ? other.toJSON() : other;
    for (const [b, c] of o.counts) this.counts.set(b, (this.counts.get(b) ?? 0) + c);
    this.n += o.n;
    this.sum += o.sum;
    if (o.max > this.max) this.max = o.max;
    if (o.min !== null && o.min < this.min) this.min = o.min;
    return this;
  }

  /** Percentile p in [0,100], in milliseconds (null if there are no samples). */
  percentileMs(p) {
    if (this.n === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.n));
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const k of keys) {
      seen += this.counts.get(k);
      if (seen >= rank) return Math.min(valueOf(k), this.max) / 1000;
    }
    return this.max / 1000;
  }

  summary() {
    const r = (x) => (x === null ? null : Math.round(x * 1000) / 1000);
    return {
      p50: r(this.percentileMs(50)),
      p99: r(this.percentileMs(99)),
      p999: r(this.percentileMs(99.9)),
      max: this.n ? r(this.max / 1000) : null,
      mean: this.n ? r(this.sum / this.n / 1000) : null,
      samples: this.n,
    };
  }
}
