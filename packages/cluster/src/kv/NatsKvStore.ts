import { jetstream } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { KvConflictError } from '../errors/KvConflictError.js';
import { KvUnavailableError } from '../errors/KvUnavailableError.js';
import { deliverSafely, type KvEntry, type KvStore, type KvWatch } from './KvStore.js';

/** Options of {@link NatsKvStore.open}. */
export interface NatsKvStoreOptions {
  /** Replicas of a bucket that is created (default 1). */
  readonly replicas?: number;
  /** Values kept per key (default 1). */
  readonly history?: number;
  /** Where the server keeps a bucket that is created (default 'file'). */
  readonly storage?: 'file' | 'memory';
  /** Every call settles within this (default 2000 ms); else KvUnavailableError. */
  readonly timeoutMs?: number;
  /**
   * How long `open` may take (default 10000 ms, at least `timeoutMs`): creating a replicated
   * bucket waits for the servers to elect its stream's leader.
   */
  readonly openTimeoutMs?: number;
}

/** The pause between two tries of {@link NatsKvStore.open} while JetStream is not ready. */
const OPEN_RETRY_MS = 250;

/** JetStream API codes of a lost compare-and-set (wrong last sequence). */
const CONFLICT_CODES = new Set([10071, 10164]);

/**
 * A {@link KvStore} on a NATS KV bucket (`@nats-io/kv`) over the caller's connection, which it
 * does not close. Every call is bounded by `timeoutMs`. The watch is resumed from the last
 * revision it delivered after each reconnect, so a restarted server (file storage) loses no
 * change; a memory-storage bucket does not survive a restart, and its watch then waits until
 * the bucket exists again.
 *
 * @example
 * const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
 * const kv = await NatsKvStore.open(nc, 'arbor_c_names', { storage: 'memory', timeoutMs: 1000 });
 * const rev = await kv.create('counter', new TextEncoder().encode('n1'));
 */
export class NatsKvStore implements KvStore {
  readonly #kv: KV;
  readonly #timeoutMs: number;
  readonly #watches = new Set<KvWatch>();
  #closed = false;

  private constructor(
    readonly nc: NatsConnection,
    kv: KV,
    readonly bucket: string,
    timeoutMs: number,
  ) {
    this.#kv = kv;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Opens `bucket`, creating it when missing. While JetStream is not ready (a cluster that has
   * just started elects its meta leader first: a JetStream API request then times out, answers
   * 503, or finds no peers to place the bucket on) the open is tried again: each try bounded by
   * `timeoutMs`, the next 250 ms after. Rejects with KvUnavailableError when it has not
   * succeeded within `openTimeoutMs`, or at once on an error a retry cannot fix (a bad name,
   * JetStream not enabled, a closed connection).
   */
  static async open(nc: NatsConnection, bucket: string, options: NatsKvStoreOptions = {}): Promise<NatsKvStore> {
    const timeoutMs = options.timeoutMs ?? 2000;
    const deadline = Date.now() + Math.max(timeoutMs, options.openTimeoutMs ?? 10_000);
    const config = { replicas: options.replicas ?? 1, history: options.history ?? 1, storage: options.storage ?? 'file' } as const;
    // The client's own API timeout (5 s by default) would make each try as long: bound it too.
    const kvm = new Kvm(jetstream(nc, { timeout: timeoutMs }));
    for (;;) {
      try {
        const kv = await bounded('open', bucket, Math.max(1, Math.min(timeoutMs, deadline - Date.now())), () => kvm.create(bucket, config));
        return new NatsKvStore(nc, kv, bucket, timeoutMs);
      } catch (err) {
        if (!isTransient(err) || Date.now() + OPEN_RETRY_MS >= deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, OPEN_RETRY_MS));
      }
    }
  }

  create(key: string, value: Uint8Array): Promise<number> {
    return this.#call('create', key, () => this.#kv.create(key, value.slice()));
  }

  update(key: string, value: Uint8Array, revision: number): Promise<number> {
    if (!(revision > 0)) return Promise.reject(new KvConflictError('update', this.bucket, key));
    return this.#call('update', key, () => this.#kv.update(key, value.slice(), revision));
  }

  put(key: string, value: Uint8Array): Promise<number> {
    return this.#call('put', key, () => this.#kv.put(key, value.slice()));
  }

  get(key: string): Promise<KvEntry | null> {
    return this.#call('get', key, async () => {
      const e = await this.#kv.get(key);
      return e === null || e.operation !== 'PUT' ? null : { key: e.key, value: e.value, revision: e.revision, operation: 'PUT' };
    });
  }

  delete(key: string, options: { previousRevision?: number } = {}): Promise<void> {
    const previousSeq = options.previousRevision;
    return this.#call('delete', key, () => this.#kv.delete(key, previousSeq !== undefined && previousSeq > 0 ? { previousSeq } : undefined));
  }

  async watch(onEntry: (entry: KvEntry) => void, onReady?: () => void): Promise<KvWatch> {
    if (this.#closed) throw new KvUnavailableError('watch', this.bucket, 'the store is closed');
    let lastRevision = 0;
    let ready = false;
    let stopped = false;
    let current: { stop(): void } | undefined;
    // The initial entries are gathered per key and handed out at ready, in revision order.
    const initialEntries = new Map<string, KvEntry>();
    const deliver = (e: { key: string; revision: number; value: Uint8Array; operation: string }): void => {
      if (stopped || e.revision <= lastRevision) return;
      lastRevision = e.revision;
      const operation: KvEntry['operation'] = e.operation === 'DEL' || e.operation === 'PURGE' ? e.operation : 'PUT';
      const entry: KvEntry = { key: e.key, value: e.value, revision: e.revision, operation };
      if (!ready) initialEntries.set(entry.key, entry);
      else deliverSafely(() => onEntry(entry));
    };
    const markReady = (): void => {
      if (ready || stopped) return;
      ready = true;
      for (const e of [...initialEntries.values()].sort((x, y) => x.revision - y.revision)) {
        if (e.operation === 'PUT') deliverSafely(() => onEntry(e));
      }
      initialEntries.clear();
      if (onReady !== undefined) deliverSafely(onReady);
      readied();
    };
    // The client's watch (an ordered push consumer): the last entry per key at first, from the
    // next revision after a reconnect. The server hands the initial entries out lazily, in
    // revision order, reading the stream as it goes: an entry replaced before its turn is never
    // delivered (history 1 keeps only the newest), and nats-server 2.9.10 reports 0 pending at
    // creation, so a count cannot tell where the initial entries end. The end is a revision:
    // the stream's last sequence read before the consumer is created. Every entry up to it is
    // initial; the first one at or past it makes the watch ready, and `watch()` resolves only
    // then, so a change the caller makes after `await watch()` is never folded into them.
    let boundary = 0;
    let readied: () => void = () => {};
    const readyNow = new Promise<void>((resolve) => (readied = resolve));
    const start = async (): Promise<void> => {
      const resume = lastRevision > 0 || ready;
      if (!resume) {
        const state = (await this.#kv.status()).streamInfo.state;
        boundary = state.messages === 0 ? 0 : state.last_seq;
      }
      const iter = await this.#kv.watch(resume ? { key: '>', resumeFromRevision: lastRevision + 1 } : { key: '>' });
      if (stopped) {
        iter.stop();
        return;
      }
      if (boundary === 0) markReady();
      current = iter;
      void (async () => {
        for await (const e of iter) {
          deliver(e);
          if (!ready && e.revision >= boundary) markReady();
        }
      })().catch(() => {});
    };
    await bounded('watch', this.bucket, this.#timeoutMs, async () => {
      await start();
      await readyNow;
    }).catch((err: unknown) => {
      stopped = true;
      current?.stop();
      throw err;
    });
    const restart = async (): Promise<void> => {
      for (let attempt = 0; !stopped; attempt++) {
        current?.stop();
        current = undefined;
        try {
          await bounded('watch', this.bucket, this.#timeoutMs, start);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 1000)));
        }
      }
    };
    const status = this.nc.status() as AsyncIterable<{ type: string }> & { stop?: () => void };
    void (async () => {
      for await (const s of status) {
        if (stopped) break;
        if (s.type === 'reconnect') await restart();
      }
    })().catch(() => {});
    const handle: KvWatch = {
      stop: () => {
        if (stopped) return;
        stopped = true;
        current?.stop();
        status.stop?.();
        this.#watches.delete(handle);
      },
    };
    this.#watches.add(handle);
    return handle;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const w of [...this.#watches]) w.stop();
  }

  #call<T>(operation: string, key: string, run: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new KvUnavailableError(operation, this.bucket, 'the store is closed'));
    return bounded(operation, this.bucket, this.#timeoutMs, run).catch((err: unknown) => {
      throw asConflict(err, operation, this.bucket, key) ?? err;
    });
  }
}

function asConflict(err: unknown, operation: string, bucket: string, key: string): KvConflictError | undefined {
  const cause = err instanceof KvUnavailableError ? err.cause : err;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code !== 'number' || !CONFLICT_CODES.has(code)) return undefined;
  const m = /wrong last sequence: (\d+)/.exec((cause as Error).message);
  return new KvConflictError(operation, bucket, key, m === null ? undefined : Number(m[1]));
}

/** JetStream API error codes of a cluster still forming: no suitable peers for placement, temporarily unavailable. */
const NOT_READY_CODES = new Set([10005, 10008]);

/**
 * Whether a failed open may succeed when tried again: no answer in time (our bound or the
 * client's), or JetStream answering 503 or a code of a cluster still forming.
 */
function isTransient(err: unknown): boolean {
  const cause = err instanceof KvUnavailableError ? err.cause : err;
  if (typeof cause === 'string') return true; // `bounded` ran out: "no answer within ..."
  if (!(cause instanceof Error)) return false;
  if (cause.name === 'TimeoutError') return true;
  if (cause.name !== 'JetStreamApiError') return false;
  const api = cause as Error & { readonly status?: unknown; readonly code?: unknown };
  return api.status === 503 || (typeof api.code === 'number' && NOT_READY_CODES.has(api.code));
}

/** Runs `run`, rejecting with KvUnavailableError when it fails (not a conflict) or takes longer than `timeoutMs`. */
function bounded<T>(operation: string, bucket: string, timeoutMs: number, run: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new KvUnavailableError(operation, bucket, `no answer within ${timeoutMs} ms`)), timeoutMs);
    let p: Promise<T>;
    try {
      p = run();
    } catch (err) {
      p = Promise.reject(err);
    }
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        const code = (err as { code?: unknown } | null)?.code;
        reject(typeof code === 'number' && CONFLICT_CODES.has(code) ? err : new KvUnavailableError(operation, bucket, err));
      },
    );
  });
}
