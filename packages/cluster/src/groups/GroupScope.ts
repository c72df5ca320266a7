import { GenServer, type ActorRef, type Call, type MonitorRef, type SystemInfo } from '@arbor/core';
import type { Cluster } from '../node/Cluster.js';
import type { NodeEvent } from '../node/NodeEvent.js';
import { GroupView } from './GroupView.js';

type Pairs = [string, ActorRef[]][];

/** What scope actors tell each other (casts between nodes) and what the facade asks (calls). @internal */
export interface GroupScopeProtocol {
  call: Call<'join', void, { group: string; refs: ActorRef[] }> | Call<'leave', ActorRef[], { group: string; refs: ActorRef[] }>;
  cast:
    | { type: 'discover'; from: ActorRef; groups: Pairs }
    | { type: 'sync'; from: ActorRef; groups: Pairs }
    | { type: 'joined'; from: ActorRef; group: string; refs: ActorRef[] }
    | { type: 'left'; from: ActorRef; group: string; refs: ActorRef[] }
    | { type: 'found'; scope: ActorRef };
  info: SystemInfo;
}

/** @internal */
export interface GroupScopeArg {
  readonly cluster: Cluster;
  readonly name: string;
  readonly view: GroupView;
}

/**
 * One node's scope of process groups, Erlang's `pg` scope process: registered under a local
 * name, it finds the scope of the same name on every node that comes up (`whereisOn`),
 * exchanges its members with it, then tells it of every join and leave. No lock, no
 * consensus: each scope owns its node's members; the others' views converge. A member's
 * exit leaves its groups; a scope that goes down (its node lost: `noconnection`) takes its
 * members with it. @internal
 *
 * @example
 * await system.spawn(GroupScope, { cluster, name: 'arbor.pg.default', view }, { name: 'arbor.pg.default' });
 */
export class GroupScope extends GenServer<GroupScopeProtocol, GroupView, GroupScopeArg> {
  #cluster!: Cluster;
  #name = '';
  /** Remote scopes known, with the monitor on each. */
  readonly #scopes = new Map<ActorRef, MonitorRef>();
  /** Local members monitored: ref -> its monitor. */
  readonly #watched = new Map<ActorRef, MonitorRef>();
  #stopNodes: () => void = () => {};

  override init(arg: GroupScopeArg): void {
    this.state = arg.view;
    this.#cluster = arg.cluster;
    this.#name = arg.name;
    const self = this.self;
    const look = (node: string): void => {
      this.#cluster.whereisOn(node, this.#name).then(
        (scope) => {
          if (scope !== null) this.system.cast(self, { type: 'found', scope });
        },
        () => {}, // the node went away meanwhile: its nodeup will come again
      );
    };
    this.#stopNodes = this.#cluster.onNode((e: NodeEvent) => {
      if (e.type === 'nodeup') look(e.node.name);
    });
    for (const n of this.#cluster.nodes()) look(n.name);
  }

  override handleCall(req: GroupScopeProtocol['call']): void | ActorRef[] {
    const view = this.state;
    if (req.type === 'join') {
      GroupView.add(view.local, req.group, req.refs);
      for (const ref of req.refs) if (!this.#watched.has(ref)) this.#watched.set(ref, this.monitor(ref));
      this.#tell({ type: 'joined', from: this.self, group: req.group, refs: req.refs });
      return;
    }
    const removed = GroupView.remove(view.local, req.group, req.refs);
    for (const ref of removed) this.#unwatchIfGone(ref);
    if (removed.length > 0) this.#tell({ type: 'left', from: this.self, group: req.group, refs: removed });
    return removed;
  }

  override handleCast(msg: GroupScopeProtocol['cast']): void {
    const view = this.state;
    switch (msg.type) {
      case 'found':
        if (this.#scopes.has(msg.scope)) return;
        this.#add(msg.scope);
        this.cast(msg.scope as ActorRef<GroupScopeProtocol>, { type: 'discover', from: this.self, groups: GroupView.snapshot(view.local) });
        return;
      case 'discover':
      case 'sync': {
        view.remote.set(msg.from, new Map(msg.groups));
        if (this.#scopes.has(msg.from)) return;
        this.#add(msg.from);
        // It did not know us either: send ours back (a sync asks for nothing more).
        if (msg.type === 'discover') this.cast(msg.from as ActorRef<GroupScopeProtocol>, { type: 'sync', from: this.self, groups: GroupView.snapshot(view.local) });
        return;
      }
      case 'joined':
      case 'left': {
        let groups = view.remote.get(msg.from);
        if (groups === undefined) {
          if (!this.#scopes.has(msg.from)) return; // a scope we do not know yet: its discover carries this
          view.remote.set(msg.from, (groups = new Map()));
        }
        if (msg.type === 'joined') GroupView.add(groups, msg.group, msg.refs);
        else GroupView.remove(groups, msg.group, msg.refs);
        return;
      }
    }
  }

  override handleInfo(msg: SystemInfo): void {
    if (msg.type !== 'DOWN') return;
    const view = this.state;
    const ref = msg.actor;
    if (this.#scopes.delete(ref)) {
      view.remote.delete(ref); // its node is lost, or the scope stopped: its members go with it
      return;
    }
    if (!this.#watched.delete(ref)) return;
    for (const [group, refs] of [...view.local]) {
      const all = refs.filter((r) => r === ref);
      if (all.length === 0) continue;
      GroupView.remove(view.local, group, all);
      this.#tell({ type: 'left', from: this.self, group, refs: all });
    }
  }

  override terminate(): void {
    this.#stopNodes();
    this.state.local.clear();
    this.state.remote.clear();
  }

  #add(scope: ActorRef): void {
    this.#scopes.set(scope, this.monitor(scope));
  }

  #tell(msg: GroupScopeProtocol['cast']): void {
    for (const scope of this.#scopes.keys()) this.cast(scope as ActorRef<GroupScopeProtocol>, msg);
  }

  #unwatchIfGone(ref: ActorRef): void {
    for (const refs of this.state.local.values()) if (refs.includes(ref)) return;
    const mref = this.#watched.get(ref);
    this.#watched.delete(ref);
    if (mref !== undefined) this.demonitor(mref);
  }
}

