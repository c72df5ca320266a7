import { SnapshotKeyInUseError } from '../errors/errors.js';
import type { SnapshotStore } from './SnapshotStore.js';

/** A machine actor's hand-over: `alive()` while its Arbor actor lives; `flush()` persists and stops its xstate actor. */
interface Holder {
  readonly alive: () => boolean;
  readonly flush: () => void;
}

const holders = new WeakMap<SnapshotStore, Map<string, Holder>>();

/**
 * Takes over `key` on `store` for a starting machine actor. A predecessor that died without
 * having flushed yet (killed, or its DOWN callback still queued) is flushed first, so the
 * load that follows sees its last good snapshot. Returns the release function. @internal
 */
export function claimKey(store: SnapshotStore, key: string, holder: Holder): () => void {
  let byKey = holders.get(store);
  if (byKey === undefined) holders.set(store, (byKey = new Map()));
  const previous = byKey.get(key);
  if (previous !== undefined) {
    if (previous.alive()) throw new SnapshotKeyInUseError(key);
    previous.flush();
  }
  byKey.set(key, holder);
  return () => {
    if (byKey.get(key) === holder) byKey.delete(key);
  };
}
