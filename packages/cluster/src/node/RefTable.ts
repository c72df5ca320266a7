import { monitorForRemote, type ActorRef } from '@arbor/core';
import { ClusterRef } from './ClusterRef.js';
import type { Cluster } from './Cluster.js';

/**
 * One node's refs on the wire: local actors whose refs went out (the export table, an entry
 * leaves when its actor exits) and interned refs of other nodes' actors, so the same actor
 * is always the same `ClusterRef`. A ref crosses as `[incarnation, id]`. @internal
 *
 * @example
 * const [inc, id] = table.encode(localRef); table.decode(inc, id) === localRef; // true
 */
export class RefTable {
  /** Local actors whose refs went out, by id. */
  readonly exports = new Map<string, ActorRef>();
  /** Held weakly: a ref nobody holds any more is collected and its entry dropped, so dead actors cost nothing. */
  readonly #interned = new Map<string, WeakRef<ClusterRef>>();
  readonly #collected = new FinalizationRegistry<string>((key) => {
    if (this.#interned.get(key)?.deref() === undefined) this.#interned.delete(key);
  });

  /** This node's earlier incarnations (before `cluster.rejoin()`): their refs are dead local refs. */
  readonly #earlier = new Set<string>();

  constructor(
    /** This node's incarnation (changed by `cluster.rejoin()`). */
    public incarnation: string,
    readonly owner: Cluster,
  ) {}

  /** This node rejoined as `incarnation`. */
  reincarnate(incarnation: string): void {
    this.#earlier.add(this.incarnation);
    this.incarnation = incarnation;
  }

  /** True for this node's incarnation or an earlier one: no peer to send to. */
  isOwn(incarnation: string): boolean {
    return incarnation === this.incarnation || this.#earlier.has(incarnation);
  }

  /** A ref met while encoding: a remote one as it is, a local one exported. */
  encode(ref: object): readonly [string, string] {
    if (ref instanceof ClusterRef) return [ref.incarnation, ref.id];
    const local = ref as ActorRef;
    if (!this.exports.has(local.id)) {
      this.exports.set(local.id, local);
      monitorForRemote(local, `cluster:${this.owner.self.name}`, () => this.exports.delete(local.id));
    }
    return [this.incarnation, local.id];
  }

  /** A ref met while decoding: our own live actor as its local ref, anything else interned. */
  decode(incarnation: string, id: string): unknown {
    if (incarnation === this.incarnation) {
      const local = this.exports.get(id);
      if (local !== undefined) return local;
    }
    return this.ref(incarnation, id);
  }

  /** How many interned refs are held (for tests). */
  get internedCount(): number {
    return this.#interned.size;
  }

  /** The interned ref of actor `id` of `incarnation`. */
  ref(incarnation: string, id: string): ClusterRef {
    const key = `${incarnation}/${id}`;
    let ref = this.#interned.get(key)?.deref();
    if (ref === undefined) {
      ref = new ClusterRef(id, incarnation, this.owner);
      this.#interned.set(key, new WeakRef(ref));
      this.#collected.register(ref, key);
    }
    return ref;
  }
}
