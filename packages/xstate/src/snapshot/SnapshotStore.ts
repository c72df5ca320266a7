import type { Snapshot } from 'xstate';

/**
 * Where a machine actor started with `restartFrom: 'snapshot'` keeps its persisted
 * snapshot (xstate's `getPersistedSnapshot()` form), so that it outlives the actor: the
 * supervisor's next start of the child restores from it. It lives with the child spec, not
 * with the actor. Plug in your own (a file, a database) to survive the process too: `load`
 * must see what an earlier `save` of the same key wrote.
 *
 * @example
 * const store = memorySnapshotStore();
 * machineChild(Order, { id: 'order', restartFrom: 'snapshot', store });
 */
export interface SnapshotStore {
  /** The snapshot saved under `key`, or undefined to start from the initial state. */
  load(key: string): Snapshot<unknown> | undefined | Promise<Snapshot<unknown> | undefined>;
  /** Saves a persisted snapshot under `key`. A rejection is logged, not thrown. */
  save(key: string, snapshot: Snapshot<unknown>): void | Promise<void>;
  /** Forgets `key` (a machine that reached its final state starts over next time). */
  delete(key: string): void | Promise<void>;
}

/**
 * An in-memory {@link SnapshotStore}: survives actor crashes, not the process.
 *
 * @example
 * const store = memorySnapshotStore();
 * store.load('order'); // undefined until a machine actor saved under 'order'
 */
export function memorySnapshotStore(): SnapshotStore & { readonly size: number } {
  const snapshots = new Map<string, Snapshot<unknown>>();
  return {
    load: (key) => snapshots.get(key),
    save: (key, snapshot) => void snapshots.set(key, snapshot),
    delete: (key) => void snapshots.delete(key),
    get size() {
      return snapshots.size;
    },
  };
}
