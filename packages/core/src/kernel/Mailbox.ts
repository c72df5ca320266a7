/** An empty mailbox whose buffer has at least this many slots gives it back (see `shrinkIfEmpty`). */
const SHRINK_SLOTS = 4096;

/**
 * A growable ring buffer: the actor's mailbox. Push and shift are O(1) and allocate
 * nothing until the buffer doubles. Entries are raw cast messages or envelopes.
 * @internal
 */
export class Mailbox {
  buf: unknown[] = new Array(8);
  head = 0;
  tail = 0;
  mask = 7;

  get length(): number {
    return (this.tail - this.head) & this.mask;
  }

  push(entry: unknown): void {
    this.buf[this.tail] = entry;
    this.tail = (this.tail + 1) & this.mask;
    if (this.tail === this.head) this.#grow();
  }

  /** Removes and returns the oldest entry; call only when `length > 0`. */
  shift(): unknown {
    const entry = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    return entry;
  }

  /**
   * Gives back the buffer a burst grew: called when the mailbox is empty, it returns to
   * 8 slots if it had grown past `SHRINK_SLOTS` (a registry that once held a million
   * queued DOWNs would otherwise keep 8 MB of empty slots for good).
   */
  shrinkIfEmpty(): void {
    if (this.mask >= SHRINK_SLOTS && this.head === this.tail) {
      this.buf = new Array(8);
      this.head = this.tail = 0;
      this.mask = 7;
    }
  }

  /** Removes the first entry matching `pred` and returns it, or undefined. O(n). */
  removeFirst(pred: (entry: unknown) => boolean): unknown {
    const n = this.length;
    for (let i = 0; i < n; i++) {
      const entry = this.buf[(this.head + i) & this.mask];
      if (pred(entry)) {
        this.#removeAt(i);
        return entry;
      }
    }
    return undefined;
  }

  /** Removes every entry matching `pred`; returns how many. O(n). */
  removeAll(pred: (entry: unknown) => boolean): number {
    const all = this.drain();
    const kept = all.filter((e) => !pred(e));
    for (const e of kept) this.push(e);
    return all.length - kept.length;
  }

  /** Empties the mailbox and returns its entries, oldest first. */
  drain(): unknown[] {
    const out: unknown[] = [];
    while (this.head !== this.tail) out.push(this.shift());
    return out;
  }

  #removeAt(i: number): void {
    const n = this.length;
    for (let j = i; j < n - 1; j++) {
      this.buf[(this.head + j) & this.mask] = this.buf[(this.head + j + 1) & this.mask];
    }
    this.tail = (this.tail - 1) & this.mask;
    this.buf[this.tail] = undefined;
  }

  #grow(): void {
    const n = this.buf.length;
    const next = new Array(n * 2);
    for (let i = 0; i < n; i++) next[i] = this.buf[(this.head + i) & this.mask];
    this.buf = next;
    this.head = 0;
    this.tail = n;
    this.mask = n * 2 - 1;
  }
}
