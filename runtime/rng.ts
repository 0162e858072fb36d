// Seeded random numbers: sfc32 (Chris Doty-Humphrey's "small fast counting" generator, from PractRand)
// with its 128-bit state filled by splitmix32, so any 32-bit seed gives a well-mixed start.
// Streams: fork(id) hashes (seed, id) into a fresh seed, so per-step/per-example streams never overlap by construction.
import type { Rng } from './types.js';

/** splitmix32 finaliser: a bijective 32-bit mix (constants from the murmur3/splitmix family). */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const TWO_NEG_32 = 1 / 4294967296;

class Sfc32 implements Rng {
  readonly seed: number;
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  // Box–Muller makes normals in pairs; the second waits here.
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    let s = this.seed;
    const next = () => (s = mix32(s));
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = 1; // sfc32's counter; starting at 1 as its author recommends
    // Discard a few outputs so nearby seeds decorrelate fully.
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** One raw 32-bit output. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.u32() * TWO_NEG_32;
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    // 1 − u keeps the logarithm's argument in (0, 1].
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    this.hasSpare = true;
    return r * Math.cos(2 * Math.PI * v);
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  fork(stream: number): Rng {
    return new Sfc32(mix32(mix32(this.seed ^ 0x5bd1e995) ^ (stream >>> 0)) ^ mix32(Math.floor(stream / 4294967296)));
  }
}

/** A deterministic generator for this seed (any integer; taken modulo 2^32). */
export function createRng(seed: number): Rng {
  return new Sfc32(seed);
}
