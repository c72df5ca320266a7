/**
 * One entry of a bucket: a key's value at a revision (the bucket-wide sequence), or a delete marker.
 *
 * @example
 * const entry = await kv.get('lease.n1'); // { key: 'lease.n1', value, revision: 7, operation: 'PUT' }
 */
export interface KvEntry {
  readonly key: string;
  readonly value: Uint8Array;
  readonly revision: number;
  readonly operation: 'PUT' | 'DEL' | 'PURGE';
}

/**
 * A running watch of a bucket; `stop()` ends its delivery.
 *
 * @example
 * const w = await kv.watch((e) => console.log(e.key)); w.stop();
 */
export interface KvWatch {
  stop(): void;
}

/**
 * A bucket: every operation settles within the store's timeout (KvUnavailableError), never hangs.
 *
 * @example
 * const rev = await kv.create('lease.n1', value);
 * await kv.update('lease.n1', value, rev);
 */
export interface KvStore {
  readonly bucket: string;
  /** Creates `key`; KvConflictError when it exists (a deleted key may be created again). Resolves the revision. */
  create(key: string, value: Uint8Array): Promise<number>;
  /** Compare-and-set: replaces `key` only at `revision`; KvConflictError otherwise. */
  update(key: string, value: Uint8Array, revision: number): Promise<number>;
  put(key: string, value: Uint8Array): Promise<number>;
  /** The current entry, or null (deleted or never set). */
  get(key: string): Promise<KvEntry | null>;
  /** Deletes; with `previousRevision` only if the key is still at that revision (KvConflictError otherwise). */
  delete(key: string, options?: { previousRevision?: number }): Promise<void>;
  /**
   * Watches every key: the current entries first (as PUTs), then `onReady()`, then every change
   * in order. The current entries are those of the moment the promise resolves: a write made
   * after `await watch(...)` arrives as a change, never folded into them. Keeps going across
   * reconnects; `stop()` ends it.
   */
  watch(onEntry: (entry: KvEntry) => void, onReady?: () => void): Promise<KvWatch>;
  close(): Promise<void>;
}

/** Calls a watch callback; a throw surfaces as an uncaught exception instead of ending the delivery. @internal */
export function deliverSafely(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
  }
}
