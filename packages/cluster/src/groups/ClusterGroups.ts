import { InvalidOptionError, isActorRef, type ActorRef, type ActorSystem, type Protocol } from '@arbor/core';
import type { Cluster } from '../node/Cluster.js';
import { GroupScope, type GroupScopeProtocol } from './GroupScope.js';
import { GroupView } from './GroupView.js';

/** Options of {@link ClusterGroups.start}. */
export interface ClusterGroupsOptions {
  /** The scope (pg's): groups of one scope are independent of another's (default `'default'`). */
  readonly scope?: string;
}

const SCOPE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Process groups across the cluster, in the style of Erlang's `pg`: any number of actors
 * join a named group; `members(group)` lists those of every node, synchronously. No lock and
 * no consensus store: each node owns its own members and tells the others, so views are
 * eventually consistent (a join is seen on another node one message later). An actor's
 * exit removes it from its groups; the members of a node that is lost are dropped. Only
 * local actors join (pg's rule); every node that shares groups starts the same scope.
 *
 * @example
 * const groups = await ClusterGroups.start(system, cluster);
 * await groups.join('indexers', indexer);
 * for (const member of groups.members('indexers')) cast(member, { type: 'reindex' });
 */
export class ClusterGroups {
  readonly #system: ActorSystem;
  readonly #scope: ActorRef<GroupScopeProtocol>;
  readonly #view: GroupView;
  /** The scope's name. */
  readonly scope: string;

  private constructor(system: ActorSystem, scopeRef: ActorRef<GroupScopeProtocol>, view: GroupView, scope: string) {
    this.#system = system;
    this.#scope = scopeRef;
    this.#view = view;
    this.scope = scope;
  }

  /**
   * Starts this node's scope (an actor registered as `arbor.pg.<scope>`); it finds the
   * scopes of the same name on the other nodes as they come up.
   *
   * @example
   * const groups = await ClusterGroups.start(system, cluster, { scope: 'jobs' });
   */
  static async start(system: ActorSystem, cluster: Cluster, options: ClusterGroupsOptions = {}): Promise<ClusterGroups> {
    if (typeof cluster !== 'object' || cluster === null || typeof (cluster as Cluster).whereisOn !== 'function') {
      throw new InvalidOptionError('ClusterGroups.start: cluster', 'the Cluster joinCluster returned', cluster);
    }
    const scope = options.scope ?? 'default';
    if (typeof scope !== 'string' || !SCOPE.test(scope)) throw new InvalidOptionError('ClusterGroups.start: options.scope', 'a name of 1 to 64 letters, digits, _, . or -', scope);
    const name = `arbor.pg.${scope}`;
    const view = new GroupView();
    const ref = await system.spawn(GroupScope, { cluster, name, view }, { name });
    return new ClusterGroups(system, ref, view, scope);
  }

  /**
   * Adds local actors to `group` (an actor may join a group more than once, as in pg).
   *
   * @example
   * await groups.join('workers', [w1, w2]);
   */
  join(group: string, refs: ActorRef | readonly ActorRef[]): Promise<void> {
    try {
      return this.#system.call(this.#scope, { type: 'join', group: checkGroup('join', group), refs: this.#locals('join', refs) });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Removes one membership of each of `refs` from `group`; resolves with those that were in it.
   *
   * @example
   * await groups.leave('workers', w1); // [w1]
   */
  leave(group: string, refs: ActorRef | readonly ActorRef[]): Promise<ActorRef[]> {
    try {
      return this.#system.call(this.#scope, { type: 'leave', group: checkGroup('leave', group), refs: this.#locals('leave', refs) });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Every member of `group` this node knows of: its own first, then other nodes'.
   *
   * @example
   * const [first] = groups.members<WorkerProtocol>('workers');
   */
  members<P extends Protocol = any>(group: string): ActorRef<P>[] {
    return this.#view.members(checkGroup('members', group)) as ActorRef<P>[];
  }

  /** This node's members of `group`. */
  localMembers<P extends Protocol = any>(group: string): ActorRef<P>[] {
    return [...(this.#view.local.get(checkGroup('localMembers', group)) ?? [])] as ActorRef<P>[];
  }

  /** The groups with at least one member anywhere, sorted. */
  whichGroups(): string[] {
    return this.#view.groups();
  }

  /** Stops this node's scope: its members leave every group on the other nodes. */
  stop(): Promise<void> {
    return this.#system.stop(this.#scope, 'shutdown');
  }

  #locals(operation: string, refs: ActorRef | readonly ActorRef[]): ActorRef[] {
    const list = Array.isArray(refs) ? [...(refs as readonly ActorRef[])] : [refs as ActorRef];
    for (const ref of list) {
      if (!isActorRef(ref)) throw new InvalidOptionError(`ClusterGroups.${operation}: refs`, 'refs of local actors (only local actors join a group, as in pg)', ref);
    }
    return list;
  }
}

function checkGroup(operation: string, group: unknown): string {
  if (typeof group !== 'string' || group === '') throw new InvalidOptionError(`ClusterGroups.${operation}: group`, 'a non-empty group name', group);
  return group;
}
