import type { KvEntry } from './KvStore.js';
import { MemoryKvStore, type MemoryKvStoreOptions } from './MemoryKvStore.js';

/**
 * One in-process bucket shared by several clients (the "nodes" of a protocol test): revisions
 * are one sequence per bucket, as a NATS stream's. `cutClient(name)` partitions one client
 * (its calls fail with KvUnavailableError, its watch goes silent) until `healClient(name)`,
 * when its watch catches up in revision order with what the bucket still holds.
 *
 * @example
 * const bucket = new MemoryKvBucket('names');
 * const a = bucket.client('a'), b = bucket.client('b');
 * bucket.cutClient('a'); await b.put('k', value); bucket.healClient('a');
 */
export class MemoryKvBucket {
  /** The last revision handed out. @internal */
  sequence = 0;
  /** The last entry per key (delete markers included), as a history-1 stream keeps it. @internal */
  readonly latest = new Map<string, KvEntry>();
  readonly #attached = new Set<MemoryKvStore>();
  readonly #cut = new Set<string>();

  constructor(readonly name: string) {}

  /** A client of this bucket named `name` (a new one each call; names are for `cutClient`). */
  client(name: string, options: MemoryKvStoreOptions = {}): MemoryKvStore {
    return new MemoryKvStore(this, name, options);
  }

  /** Makes `name`'s calls unavailable and its watches silent (a partition) until healed. */
  cutClient(name: string): void {
    this.#cut.add(name);
  }

  /** Ends `name`'s partition: its watches catch up in order. */
  healClient(name: string): void {
    this.#cut.delete(name);
    for (const store of this.#stores()) if (store.clientName === name) store.heal();
  }

  /** Whether `name` is cut. */
  isCut(name: string): boolean {
    return this.#cut.has(name);
  }

  /** Appends an entry at the next revision and tells every client. @internal */
  append(key: string, value: Uint8Array, operation: KvEntry['operation']): KvEntry {
    const entry: KvEntry = { key, value: value.slice(), revision: ++this.sequence, operation };
    this.latest.set(key, entry);
    for (const store of this.#stores()) store.notify(entry);
    return entry;
  }

  /** Registers a client so it hears changes. @internal */
  attach(store: MemoryKvStore): void {
    this.#attached.add(store);
  }

  /** @internal */
  detach(store: MemoryKvStore): void {
    this.#attached.delete(store);
  }

  #stores(): MemoryKvStore[] {
    return [...this.#attached];
  }
}
