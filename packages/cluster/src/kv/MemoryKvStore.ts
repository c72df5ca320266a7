import { KvConflictError } from '../errors/KvConflictError.js';
import { KvUnavailableError } from '../errors/KvUnavailableError.js';
import { deliverSafely, type KvEntry, type KvStore, type KvWatch } from './KvStore.js';

/** Options of a {@link MemoryKvStore}. */
export interface MemoryKvStoreOptions {
  /** How long an unavailable call takes to reject (default 2000 ms, as NatsKvStore's timeout). */
  readonly timeoutMs?: number;
}

interface Watcher {
  readonly onEntry: (entry: KvEntry) => void;
  readonly onReady: (() => void) | undefined;
  readonly queue: (KvEntry | 'ready')[];
  lastRevision: number;
  behind: boolean;
  stopped: boolean;
  scheduled: boolean;
}

/*
 * The in-process KV store: a shared bucket (MemoryKvBucket) and its clients (MemoryKvStore),
 * in one file because each makes the other.
 */

/**
 * An in-process {@link KvStore} with the semantics of NatsKvStore (one revision sequence per
 * bucket, compare-and-set, delete markers, ordered watches) for protocol tests, with switches:
 * `setUnavailable(true)` makes every call reject with KvUnavailableError after the timeout
 * (or at once with `{ immediate: true }`) and silences its watches until switched back.
 * Calls that fail this way are never applied. For several clients of one bucket, see MemoryKvBucket.
 *
 * @example
 * const kv = MemoryKvStore.open('names', { timeoutMs: 50 });
 * await kv.create('k', new Uint8Array([1]));
 * kv.setUnavailable(true, { immediate: true }); // kv.get('k') rejects with KvUnavailableError
 */
export class MemoryKvStore implements KvStore {
  readonly bucket: string;
  readonly #timeoutMs: number;
  #unavailable = false;
  #immediate = false;
  #closed = false;
  readonly #watchers = new Set<Watcher>();

  /** A store on a bucket of its own. */
  static open(bucket: string, options: MemoryKvStoreOptions = {}): MemoryKvStore {
    return new MemoryKvBucket(bucket).client('default', options);
  }

  /** Use `MemoryKvStore.open` or `MemoryKvBucket.client`. */
  constructor(
    readonly shared: MemoryKvBucket,
    readonly clientName: string,
    options: MemoryKvStoreOptions = {},
  ) {
    this.bucket = shared.name;
    this.#timeoutMs = options.timeoutMs ?? 2000;
    shared.attach(this);
  }

  /** Makes every call reject with KvUnavailableError (after the timeout, or at once with `immediate`) until switched off. */
  setUnavailable(unavailable: boolean, options: { immediate?: boolean } = {}): void {
    this.#unavailable = unavailable;
    this.#immediate = options.immediate === true;
    if (!unavailable) this.heal();
  }

  create(key: string, value: Uint8Array): Promise<number> {
    return this.#op('create', () => {
      const current = this.shared.latest.get(key);
      if (current !== undefined && current.operation === 'PUT') throw new KvConflictError('create', this.bucket, key, current.revision);
      return this.shared.append(key, value, 'PUT').revision;
    });
  }

  update(key: string, value: Uint8Array, revision: number): Promise<number> {
    return this.#op('update', () => {
      const current = this.shared.latest.get(key);
      if (current === undefined || current.revision !== revision) throw new KvConflictError('update', this.bucket, key, current?.revision);
      return this.shared.append(key, value, 'PUT').revision;
    });
  }

  put(key: string, value: Uint8Array): Promise<number> {
    return this.#op('put', () => this.shared.append(key, value, 'PUT').revision);
  }

  get(key: string): Promise<KvEntry | null> {
    return this.#op('get', () => {
      const current = this.shared.latest.get(key);
      return current === undefined || current.operation !== 'PUT' ? null : copy(current);
    });
  }

  delete(key: string, options: { previousRevision?: number } = {}): Promise<void> {
    return this.#op('delete', () => {
      const current = this.shared.latest.get(key);
      const expected = options.previousRevision;
      if (expected !== undefined && expected > 0 && current?.revision !== expected) {
        throw new KvConflictError('delete', this.bucket, key, current?.revision);
      }
      this.shared.append(key, new Uint8Array(0), 'DEL');
    });
  }

  watch(onEntry: (entry: KvEntry) => void, onReady?: () => void): Promise<KvWatch> {
    return this.#op('watch', () => {
      const initial = [...this.shared.latest.values()].filter((e) => e.operation === 'PUT').sort((x, y) => x.revision - y.revision);
      const watcher: Watcher = {
        onEntry,
        onReady,
        queue: [...initial, 'ready'],
        lastRevision: this.shared.sequence,
        behind: false,
        stopped: false,
        scheduled: false,
      };
      this.#watchers.add(watcher);
      this.#schedule(watcher);
      return {
        stop: () => {
          watcher.stopped = true;
          this.#watchers.delete(watcher);
        },
      };
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const w of this.#watchers) w.stopped = true;
    this.#watchers.clear();
    this.shared.detach(this);
  }

  /** Hears a change of the bucket. @internal */
  notify(entry: KvEntry): void {
    const silent = this.#isUnavailable();
    for (const w of this.#watchers) {
      if (silent) {
        w.behind = true;
        continue;
      }
      w.queue.push(entry);
      w.lastRevision = entry.revision;
      this.#schedule(w);
    }
  }

  /** Catches up the watches that missed changes while unavailable. @internal */
  heal(): void {
    if (this.#isUnavailable()) return;
    for (const w of this.#watchers) {
      if (!w.behind) continue;
      const missed = [...this.shared.latest.values()].filter((e) => e.revision > w.lastRevision).sort((x, y) => x.revision - y.revision);
      w.queue.push(...missed);
      w.lastRevision = this.shared.sequence;
      w.behind = false;
      this.#schedule(w);
    }
  }

  #isUnavailable(): boolean {
    return this.#unavailable || this.shared.isCut(this.clientName);
  }

  #schedule(w: Watcher): void {
    if (w.scheduled) return;
    w.scheduled = true;
    setImmediate(() => {
      w.scheduled = false;
      while (!w.stopped && w.queue.length > 0) {
        const next = w.queue.shift()!;
        deliverSafely(() => (next === 'ready' ? w.onReady?.() : w.onEntry(copy(next))));
      }
    });
  }

  #op<T>(operation: string, apply: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new KvUnavailableError(operation, this.bucket, 'the store is closed'));
    if (this.#isUnavailable()) {
      const error = new KvUnavailableError(operation, this.bucket, `no answer within ${this.#timeoutMs} ms`);
      if (this.#immediate && this.#unavailable) return Promise.reject(new KvUnavailableError(operation, this.bucket, 'the store is switched unavailable'));
      return new Promise((_, reject) => setTimeout(() => reject(error), this.#timeoutMs));
    }
    return new Promise((resolve, reject) =>
      setImmediate(() => {
        try {
          resolve(apply());
        } catch (err) {
          reject(err);
        }
      }),
    );
  }
}

function copy(entry: KvEntry): KvEntry {
  return { ...entry, value: entry.value.slice() };
}

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
