// Typed-array allocation by dtype and grow-only buffers: a net allocates per-batch storage once for
// the largest batch it has seen and reuses it for smaller ones, so training steps allocate nothing.
import type { Buf, DType } from './types.js';

export function allocBuf(dtype: DType, len: number): Buf {
  return dtype === 'float64' ? new Float64Array(len) : new Float32Array(len);
}

/** A buffer holding `per` values per example; at(n) grows it (contents lost) when n examples don't fit. */
export class Slab {
  private buf: Buf;
  constructor(
    private readonly dtype: DType,
    private readonly per: number,
  ) {
    this.buf = allocBuf(dtype, 0);
  }
  at(n: number): Buf {
    if (this.buf.length < n * this.per) this.buf = allocBuf(this.dtype, n * this.per);
    return this.buf;
  }
}

/** Int32 counterpart of Slab (max-pool switches). */
export class IntSlab {
  private buf = new Int32Array(0);
  constructor(private readonly per: number) {}
  at(n: number): Int32Array {
    if (this.buf.length < n * this.per) this.buf = new Int32Array(n * this.per);
    return this.buf;
  }
}

/** Scratch shared by all layers of one net (used strictly within one layer call), grown to the largest need. */
export class Scratch {
  private a: Buf;
  private b: Buf;
  constructor(private readonly dtype: DType) {
    this.a = allocBuf(dtype, 0);
    this.b = allocBuf(dtype, 0);
  }
  first(len: number): Buf {
    if (this.a.length < len) this.a = allocBuf(this.dtype, len);
    return this.a;
  }
  second(len: number): Buf {
    if (this.b.length < len) this.b = allocBuf(this.dtype, len);
    return this.b;
  }
}
