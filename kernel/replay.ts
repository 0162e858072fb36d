// Signatures seen recently, as jupyter_client's Session keeps them: a correctly signed message sent
// a second time (captured and replayed) is refused. Bounded: the oldest are forgotten first.

/** jupyter_client's digest_history_size. */
export const REMEMBERED_SIGNATURES = 1 << 16;

export class SeenSignatures {
  // A Set iterates in insertion order, so its first element is the oldest.
  private readonly seen = new Set<string>();

  constructor(private readonly limit = REMEMBERED_SIGNATURES) {}

  /** True when this signature came before (a replay); otherwise remembers it and returns false. */
  replayed(signature: string): boolean {
    if (this.seen.has(signature)) return true;
    this.seen.add(signature);
    if (this.seen.size > this.limit) {
      const oldest = this.seen.values().next();
      if (oldest.done !== true) this.seen.delete(oldest.value);
    }
    return false;
  }
}
