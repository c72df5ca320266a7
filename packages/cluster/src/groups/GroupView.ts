import type { ActorRef } from '@arbor/core';

/**
 * The members of a scope's groups as this node sees them: its own members, and each remote
 * scope's members as that scope last told. Owned by the scope actor (the only writer);
 * `ClusterGroups` reads it synchronously. @internal
 *
 * @example
 * view.members('workers'); // local first, then each remote scope's
 */
export class GroupView {
  /** This node's members: group -> refs (a ref may be in a group more than once, as in pg). */
  readonly local = new Map<string, ActorRef[]>();
  /** Members of other nodes: the remote scope's ref -> group -> refs. */
  readonly remote = new Map<ActorRef, Map<string, ActorRef[]>>();

  members(group: string): ActorRef[] {
    const out = [...(this.local.get(group) ?? [])];
    for (const groups of this.remote.values()) {
      const refs = groups.get(group);
      if (refs !== undefined) out.push(...refs);
    }
    return out;
  }

  groups(): string[] {
    const names = new Set(this.local.keys());
    for (const groups of this.remote.values()) for (const g of groups.keys()) names.add(g);
    return [...names].sort();
  }

  /** Adds `refs` to `group` in `into` (the local map or a remote scope's). */
  static add(into: Map<string, ActorRef[]>, group: string, refs: readonly ActorRef[]): void {
    const list = into.get(group);
    if (list === undefined) into.set(group, [...refs]);
    else list.push(...refs);
  }

  /** Removes one occurrence of each of `refs` from `group`; the refs removed. */
  static remove(from: Map<string, ActorRef[]>, group: string, refs: readonly ActorRef[]): ActorRef[] {
    const list = from.get(group);
    if (list === undefined) return [];
    const removed: ActorRef[] = [];
    for (const ref of refs) {
      const i = list.indexOf(ref);
      if (i < 0) continue;
      list.splice(i, 1);
      removed.push(ref);
    }
    if (list.length === 0) from.delete(group);
    return removed;
  }

  /** A map's content as plain pairs, for the wire. */
  static snapshot(groups: ReadonlyMap<string, readonly ActorRef[]>): [string, ActorRef[]][] {
    return [...groups].map(([g, refs]) => [g, [...refs]]);
  }
}
