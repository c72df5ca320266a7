/**
 * A connection's in-flight requests by id, for ids handed out in order (1, 2, 3, ...): a
 * ring indexed by `id & mask` over the window [oldest unanswered id, next id), so adding,
 * finding and removing a request is an array access (no Map entry per request). A request
 * that stays unanswered while many newer ones come and go (a hung handler) is moved to a
 * small overflow Map once the window would outgrow the ring, so the ring stays about as
 * large as the number of requests in flight. Iteration is in id order. @internal
 *
 * @example
 * const table = new InFlightTable<PendingRequest>();
 * const id = table.add(rec); // 1
 * table.take(id); // rec
 */
export class InFlightTable<T> {
  #items: (T | undefined)[] = new Array<T | undefined>(16);
  #mask = 15;
  /** Every id below it is answered or in the overflow. */
  #base = 1;
  /** The id the next `add` gets. */
  #next = 1;
  /** Live entries in the ring. */
  #inRing = 0;
  #overflow: Map<number, T> | undefined = undefined;

  /** Requests held (ring and overflow). */
  get size(): number {
    return this.#inRing + (this.#overflow?.size ?? 0);
  }

  /** The id the next {@link add} hands out. */
  get nextId(): number {
    return this.#next;
  }

  /** Stores `item` under the next id and returns that id. */
  add(item: T): number {
    if (this.#next - this.#base === this.#items.length) this.#makeRoom();
    const id = this.#next++;
    this.#items[id & this.#mask] = item;
    this.#inRing++;
    return id;
  }

  /** The entry of `id`, if held. */
  get(id: number): T | undefined {
    if (id >= this.#base && id < this.#next) return this.#items[id & this.#mask];
    return this.#overflow?.get(id);
  }

  /** Removes and returns the entry of `id` (undefined when it is not held). */
  take(id: number): T | undefined {
    if (id >= this.#base && id < this.#next) {
      const i = id & this.#mask;
      const item = this.#items[i];
      if (item === undefined) return undefined;
      this.#items[i] = undefined;
      this.#inRing--;
      if (id === this.#base) this.#advance();
      return item;
    }
    const o = this.#overflow;
    if (o === undefined) return undefined;
    const item = o.get(id);
    if (item !== undefined) o.delete(id);
    return item;
  }

  /** Every entry, oldest id first. */
  values(): T[] {
    const out: T[] = [];
    if (this.#overflow !== undefined) for (const item of this.#overflow.values()) out.push(item);
    for (let id = this.#base; id < this.#next; id++) {
      const item = this.#items[id & this.#mask];
      if (item !== undefined) out.push(item);
    }
    return out;
  }

  /** Drops every entry (ids keep counting up). */
  clear(): void {
    this.#items = new Array<T | undefined>(16);
    this.#mask = 15;
    this.#base = this.#next;
    this.#inRing = 0;
    this.#overflow = undefined;
  }

  /** Skips answered ids at the bottom of the window. */
  #advance(): void {
    while (this.#base < this.#next && this.#items[this.#base & this.#mask] === undefined) this.#base++;
  }

  /** The window spans the whole ring: grow it when it is mostly live, else move its oldest entries to the overflow. */
  #makeRoom(): void {
    const len = this.#items.length;
    if (this.#inRing * 2 > len) {
      const next = new Array<T | undefined>(len * 2);
      const mask = len * 2 - 1;
      for (let id = this.#base; id < this.#next; id++) next[id & mask] = this.#items[id & this.#mask];
      this.#items = next;
      this.#mask = mask;
      return;
    }
    // at most half the ring is live: move the oldest quarter of the window out
    const until = this.#base + (len >> 2);
    for (let id = this.#base; id < until; id++) {
      const i = id & this.#mask;
      const item = this.#items[i];
      if (item === undefined) continue;
      (this.#overflow ??= new Map()).set(id, item);
      this.#items[i] = undefined;
      this.#inRing--;
    }
    this.#base = until;
    this.#advance();
  }
}
