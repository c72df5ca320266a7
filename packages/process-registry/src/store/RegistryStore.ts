import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import type { Logger } from 'winston';
import { StoreUnavailableError } from '../registry/errors.js';
import { registryStoreOptions } from './storeOptions.js';
import { storeWriteError, type StoreWriteError } from './StoreWriteError.js';
import { isWorkerEntry, type WorkerEntry } from './WorkerEntry.js';
import { verifyStore, type StoreDamage } from './verifyStore.js';

/** An LMDB key: `[runId, workerId]`. */
export type EntryKey = [string, string];

/**
 * What happened when a damaged file was found at open: where it was moved, and why.
 *
 * @example
 * if (store.recovered) console.log(store.recovered.movedTo);
 */
export interface StoreRecovery {
  readonly path: string;
  readonly movedTo: string;
  readonly damage: StoreDamage;
}

/**
 * The LMDB environment of one registry. Entries are keyed `[runId, workerId]`; writes are
 * lmdb-js batched transactions (each resolves once committed). `noSync`: the store guards
 * against crashes of Node processes, whose commits the OS keeps; after an OS crash no
 * worker survives to be cleaned up, and a file damaged by one is moved aside at open.
 */
export class RegistryStore {
  #movedAside = false;
  readonly #logger: Logger;

  private constructor(
    readonly path: string,
    readonly db: RootDatabase<WorkerEntry, EntryKey>,
    readonly recovered: StoreRecovery | undefined,
    logger: Logger,
  ) {
    this.#logger = logger;
  }

  /**
   * Opens (creating) the file at `path`. A file that is not LMDB, or that fails a probe
   * open in a throwaway process, is renamed to `<path>.corrupt-<time>` and a fresh one is
   * started, with an error report logged. Rejects with `StoreUnavailableError` only if
   * even the fresh file cannot be opened.
   */
  static async open(path: string, logger: Logger, verify: boolean): Promise<RegistryStore> {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (e) {
      throw new StoreUnavailableError(path, e);
    }
    let damage = verify ? await verifyStore(path) : undefined;
    let db: RootDatabase<WorkerEntry, EntryKey> | undefined;
    if (damage === undefined) {
      try {
        db = openDb(path);
      } catch (e) {
        damage = { kind: 'open_failed', detail: String(e) };
      }
    }
    let recovered: StoreRecovery | undefined;
    if (damage !== undefined) {
      const movedTo = `${path}.corrupt-${Date.now()}`;
      try {
        renameSync(path, movedTo);
        rmSync(`${path}-lock`, { force: true });
        db = openDb(path);
      } catch (e) {
        throw new StoreUnavailableError(path, e);
      }
      recovered = { path, movedTo, damage };
      logger.error('process registry store was unreadable: moved aside, started a fresh one', {
        report: 'process_registry_store_recovered',
        path,
        movedTo,
        damage: damage.kind,
        detail: damage.detail,
      });
    }
    return new RegistryStore(path, db!, recovered, logger);
  }

  /** The file's absolute path, as workers carry it in `ARBOR_REGISTRY_PATH`. */
  get markerPath(): string {
    return resolve(this.path);
  }

  get(runId: string, workerId: string): WorkerEntry | undefined {
    const v = this.db.get([runId, workerId]);
    return isWorkerEntry(v) ? v : undefined;
  }

  /**
   * Writes an entry; resolves once the batch holding it is committed. lmdb-js's own
   * promise, shared by every write of one batch (the registry groups its replies by it):
   * on rejection, turn the error into a `StoreWriteError` with {@link writeFailure}.
   */
  put(entry: WorkerEntry): Promise<boolean> {
    return this.db.put([entry.runId, entry.workerId], entry);
  }

  /**
   * The typed error for a rejected write of this store (handles lmdb-js's `commitError`).
   * A write that failed on the file's own damage (a page not found, a corrupted page, a
   * transaction LMDB invalidated on one) is damage the probe could not reach: the file is
   * moved aside at once, as at open, so that the restarted registry (and the next start)
   * begins a fresh one instead of failing on it again; the workers are still found by their
   * markers (`ARBOR_REGISTRY_PATH` names the path, not the file).
   */
  async writeFailure(error: unknown): Promise<StoreWriteError> {
    const typed = await storeWriteError(this.path, error);
    if (!this.#movedAside && FILE_DAMAGE.test(typed.detail)) {
      this.#movedAside = true;
      const movedTo = `${this.path}.corrupt-${Date.now()}`;
      try {
        renameSync(this.path, movedTo);
        rmSync(`${this.path}-lock`, { force: true });
        this.#logger.error('process registry store failed a write on its own damage: moved aside; a restarted registry starts a fresh one', {
          report: 'process_registry_store_recovered',
          path: this.path,
          movedTo,
          damage: 'write_failed',
          detail: typed.detail,
        });
      } catch {
        // gone already, or not ours to move: the restart's probe judges it
      }
    }
    return typed;
  }

  /** Removes an entry; resolves once committed, rejects with `StoreWriteError`. */
  remove(runId: string, workerId: string): Promise<boolean> {
    return this.db.remove([runId, workerId]).catch(async (e: unknown) => {
      throw await this.writeFailure(e);
    });
  }

  /**
   * Removes many records, as batched writes (lmdb-js commits the writes of one turn
   * together); resolves once all are committed, rejects with `StoreWriteError`. Not an
   * async `transaction()`: that runs a child transaction, a write path the probe does not
   * take, and a damaged free list that the probe's writes pass can abort the process there.
   */
  async removeAll(keys: readonly EntryKey[]): Promise<void> {
    if (keys.length === 0) return;
    try {
      await Promise.all(keys.map((k) => this.db.remove(k)));
    } catch (e) {
      throw await this.writeFailure(e);
    }
  }

  /**
   * Every stored record, well formed or not (keys that are not `[runId, workerId]` are
   * skipped); `entry` is undefined for a value that does not decode as a {@link WorkerEntry}
   * (of unknown shape, or damaged: msgpackr throws, or decodes it against damaged shared
   * structures). One pass over the range; if a value throws, the rest is read key by key.
   */
  records(): { readonly key: EntryKey; readonly entry: WorkerEntry | undefined }[] {
    const out: { key: EntryKey; entry: WorkerEntry | undefined }[] = [];
    try {
      for (const { key, value } of this.db.getRange()) {
        if (isEntryKey(key)) out.push({ key, entry: isWorkerEntry(value) ? value : undefined });
      }
      return out;
    } catch {
      // a value msgpackr cannot decode: start again, one key at a time
    }
    out.length = 0;
    for (const key of this.db.getKeys()) {
      if (!isEntryKey(key)) continue;
      let value: unknown;
      try {
        value = this.db.get(key);
      } catch {
        value = undefined;
      }
      out.push({ key, entry: isWorkerEntry(value) ? value : undefined });
    }
    return out;
  }

  /** The entries of one run. */
  *runEntries(runId: string): Generator<WorkerEntry> {
    for (const { value } of this.db.getRange({ start: [runId], end: [runId, '\uffff'] })) {
      if (isWorkerEntry(value)) yield value;
    }
  }

  /** Number of records in the file (all runs). */
  count(): number {
    let n = 0;
    for (const _ of this.records()) n++;
    return n;
  }

  /** Closes this handle on the environment; never rejects. */
  async close(): Promise<void> {
    try {
      await this.db.close();
    } catch {
      // already closed
    }
  }
}

/** LMDB's answers that mean the file itself is damaged (not the disk, not the caller). */
const FILE_DAMAGE = /MDB_(PAGE_NOTFOUND|CORRUPTED|PANIC|BAD_TXN|INVALID)\b/;

function isEntryKey(key: unknown): key is EntryKey {
  return Array.isArray(key) && key.length === 2 && typeof key[0] === 'string' && typeof key[1] === 'string';
}

function openDb(path: string): RootDatabase<WorkerEntry, EntryKey> {
  return open<WorkerEntry, EntryKey>({ path, ...registryStoreOptions });
}
