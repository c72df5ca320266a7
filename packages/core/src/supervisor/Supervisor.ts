import type { ActorRef, Cell } from '../kernel/index.js';
import { GenServer, type InitArgOf } from '../actor/GenServer.js';
import type { SystemInfo } from '../actor/Protocol.js';
import type { AnyBehaviour } from '../behaviour/Behaviour.js';
import type { ActorSystem, StartResult } from '../system/ActorSystem.js';
import type { SpawnOptions } from '../system/SpawnOptions.js';
import { withOverrides, normalizeSpec, normalizeSpecs, type ChildSpec, type ChildSpecOverrides, type NormalizedSpec } from './ChildSpec.js';
import { ChildRecord, countOf, launchChild, rethrowMisuse, startLinked, supervisorCall, unwrapMisuse } from './children.js';
import { FailedToStartChildError } from './errors.js';
import { describeSupervisor, type SupervisorInfo, type Supervising } from './introspection.js';
import type { ChildCounts, ChildEntry, RestartChildResult, StartChildResult, SupervisorProtocol } from './protocol.js';
import { RestartCore, type RestartHost } from './RestartCore.js';
import { shutdownChild } from './shutdownChild.js';
import type { ChildRef } from './ChildRef.js';
import { normalizeDef, type AutoShutdown, type Strategy, type SupervisorDef } from './SupervisorFlags.js';

/**
 * The start argument of a supervisor class: what its `configure` takes. For `Supervisor`
 * itself TypeScript infers its class parameter as `unknown` (it does not use the default),
 * which would accept any argument and leave inline start functions untyped: that case is
 * `SupervisorDef`.
 */
export type SupervisorArgOf<S> = unknown extends InitArgOf<S> ? SupervisorDef : InitArgOf<S>;

type Request = SupervisorProtocol['call'];
type RestartMessage = SupervisorProtocol['info'];

/**
 * A supervisor (OTP's `supervisor`): starts its children in order, restarts them by its
 * strategy and their restart types, gives up when restarts exceed its intensity, and stops
 * them in reverse order. It traps exits; its children are linked to it.
 *
 * Start one with `Supervisor.start(system, def)`, nest one with `Supervisor.childSpec(def)`,
 * or subclass it and override `configure(arg)` to build the definition from an argument.
 *
 * @example
 * const root = await Supervisor.start(system, {
 *   strategy: 'one_for_one',
 *   children: [childSpec(Counter, 0, { id: 'counter' }), Supervisor.childSpec({ children: [...] }, { id: 'workers' })],
 * });
 * await Supervisor.whichChildren(root);
 */
export class Supervisor<A = SupervisorDef> extends GenServer<SupervisorProtocol, undefined, A> implements Supervising {
  #strategy: Strategy = 'one_for_one';
  #autoShutdown: AutoShutdown = 'never';
  /** Restart window, backoff, retries, giving up and reports; this class keeps the child table and the strategy. */
  #restarts!: RestartCore<RestartMessage>;
  /** Children in start order. */
  readonly #children: ChildRecord[] = [];
  readonly #byId = new Map<string, ChildRecord>();
  readonly #byRef = new Map<ChildRef, ChildRecord>();

  /**
   * Builds the definition from the start argument. Override it in a subclass whose
   * argument is not a `SupervisorDef`; it runs at every (re)start, so the children of the
   * definition come back after a restart (children added with `startChild` do not).
   */
  protected configure(arg: A): SupervisorDef {
    return arg as unknown as SupervisorDef;
  }

  override async init(arg: A): Promise<void> {
    const def = this.configure(arg);
    const { strategy, autoShutdown, policy } = normalizeDef(def);
    const specs = normalizeSpecs(def.children, autoShutdown);
    this.#strategy = strategy;
    this.#autoShutdown = autoShutdown;
    this.#restarts = new RestartCore(policy, this.#restartHost());
    this.trapExit(true);
    for (const spec of specs) {
      const rec = new ChildRecord(spec);
      const r = await this.#start(rec);
      if (r.status === 'error') {
        await this.#stopAll();
        throw new FailedToStartChildError(spec.id, r.reason);
      }
      if (r.status === 'ignore' && spec.restart === 'temporary') continue;
      this.#add(rec);
    }
  }

  override handleCall(req: Request): ReturnType<GenServer<SupervisorProtocol>['handleCall']> {
    switch (req.type) {
      case 'start_child':
        return this.#startChild(req.spec);
      case 'restart_child':
        return this.#restartChild(req.id);
      case 'terminate_child':
        return this.#terminateChild(req.id);
      case 'delete_child':
        return this.#deleteChild(req.id);
      case 'which_children':
        return this.#children.map(entryOf);
      case 'count_children':
        return countOf(this.#children);
      case 'get_childspec':
        return completeSpec(this.#byId.get(req.id)?.spec);
    }
  }

  override handleInfo(msg: RestartMessage | SystemInfo): void | Promise<void> {
    return this.#restarts.handleInfo(msg);
  }

  /** Stops the children in reverse start order, one at a time. */
  override async terminate(): Promise<void> {
    await this.#stopAll();
  }

  [describeSupervisor](): SupervisorInfo {
    return {
      strategy: this.#strategy,
      intensity: this.#restarts?.policy.intensity ?? 0,
      period: this.#restarts?.policy.period ?? 0,
      children: this.#children.map((r) => r.info()),
    };
  }

  // ------------------------------------------------------------------ strategy

  /** What the restart core asks of this supervisor: its child table and its strategy. */
  #restartHost(): RestartHost<RestartMessage> {
    return {
      cell: () => this.#cell(),
      logger: () => this.logger,
      stop: (reason) => this.stop(reason),
      sendAfter: (msg, ms) => void this.sendAfter(msg, ms),
      takeChild: (cell) => {
        const rec = this.#byRef.get(cell);
        if (rec !== undefined) this.#byRef.delete(cell);
        return rec;
      },
      retryMessage: (rec, token, counted) => ({ type: '$restart', id: rec.spec.id, token, counted }),
      retryTarget: (msg) => {
        const rec = this.#byId.get(msg.id);
        return rec?.status === 'restarting' ? rec : undefined;
      },
      restartSet: (rec) => this.#stopSiblings(rec),
      holds: (rec) => this.#byId.has(rec.spec.id),
      startAgain: (rec) => this.#start(rec, true),
      notRestarted: (rec) => {
        if (rec.spec.restart === 'temporary') this.#remove(rec);
        if (rec.spec.significant) this.#significantExited();
      },
      stopForDelay: (rec) => this.#stopSiblings(rec),
      asyncExits: true,
    };
  }

  /** The children the strategy restarts with `rec`, in start order; the running ones other than `rec` are stopped (temporary ones removed). */
  async #stopSiblings(rec: ChildRecord): Promise<ChildRecord[]> {
    const all = this.#children;
    const set = this.#strategy === 'one_for_one' ? [rec] : this.#strategy === 'one_for_all' ? all.slice() : all.slice(all.indexOf(rec));
    for (let i = set.length - 1; i >= 0; i--) {
      const r = set[i]!;
      if (r === rec) continue;
      if (r.status === 'restarting') {
        // Its own pending retry is now covered by rec's restart, which starts it in order.
        r.renewToken();
        r.status = 'stopped';
      }
      if (r.ref !== undefined) await this.#stopChild(r);
      if (r.spec.restart === 'temporary') this.#remove(r);
    }
    return set;
  }

  #significantExited(): void {
    if (this.#autoShutdown === 'any_significant') this.stop('shutdown');
    else if (
      this.#autoShutdown === 'all_significant' &&
      // A significant child being restarted still counts as present (OTP: only an undefined pid is gone).
      !this.#children.some((r) => r.spec.significant && (r.ref !== undefined || r.status === 'restarting'))
    ) {
      this.stop('shutdown');
    }
  }

  // ------------------------------------------------------------------ API

  async #startChild(raw: ChildSpec): Promise<StartChildResult> {
    let spec: NormalizedSpec;
    try {
      spec = normalizeSpec(raw, this.#autoShutdown);
    } catch (e) {
      return { status: 'error', reason: e };
    }
    const existing = this.#byId.get(spec.id);
    if (existing !== undefined) {
      return existing.ref !== undefined ? { status: 'already_started', ref: existing.ref } : { status: 'already_present' };
    }
    const rec = new ChildRecord(spec);
    const r = await this.#start(rec);
    if (r.status === 'error') return r;
    if (r.status === 'ignore') {
      if (spec.restart !== 'temporary') this.#add(rec);
      return r;
    }
    this.#add(rec);
    return { status: 'ok', ref: r.ref };
  }

  async #restartChild(id: string): Promise<RestartChildResult> {
    const rec = this.#byId.get(id);
    if (rec === undefined) return { status: 'not_found' };
    if (rec.ref !== undefined) return { status: 'running' };
    if (rec.status === 'restarting') return { status: 'restarting' };
    const r = await this.#start(rec);
    if (r.status === 'ok') return { status: 'ok', ref: r.ref };
    return r;
  }

  async #terminateChild(id: string): Promise<'ok' | 'not_found'> {
    const rec = this.#byId.get(id);
    if (rec === undefined) return 'not_found';
    rec.renewToken(); // cancels a pending retry
    if (rec.ref !== undefined) await this.#stopChild(rec);
    rec.status = 'stopped';
    if (rec.spec.restart === 'temporary') this.#remove(rec);
    return 'ok';
  }

  #deleteChild(id: string): 'ok' | 'running' | 'restarting' | 'not_found' {
    const rec = this.#byId.get(id);
    if (rec === undefined) return 'not_found';
    if (rec.ref !== undefined) return 'running';
    if (rec.status === 'restarting') return 'restarting';
    this.#remove(rec);
    return 'ok';
  }

  // ------------------------------------------------------------------ children

  #cell(): Cell {
    return this.self as unknown as Cell;
  }

  #add(rec: ChildRecord): void {
    this.#children.push(rec);
    this.#byId.set(rec.spec.id, rec);
  }

  #remove(rec: ChildRecord): void {
    const i = this.#children.indexOf(rec);
    if (i >= 0) this.#children.splice(i, 1);
    this.#byId.delete(rec.spec.id);
    rec.renewToken();
  }

  /** Starts `rec`'s child; a restart (`again`) counts in `rec.restarts` once it succeeds. */
  async #start(rec: ChildRecord, again = false): Promise<StartResult<any>> {
    const sup = this.#cell();
    const r = await launchChild(sup, rec.spec, undefined);
    if (r.status === 'ok') {
      const cell = r.ref as unknown as ChildRef;
      if (again) rec.restarts++;
      rec.started(cell);
      this.#byRef.set(cell, rec);
      this.#restarts.reportStarted(rec, cell);
    } else {
      rec.ref = undefined;
      if (r.status === 'ignore') rec.status = 'stopped';
    }
    return r;
  }

  async #stopChild(rec: ChildRecord): Promise<void> {
    const cell = rec.ref!;
    this.#byRef.delete(cell);
    rec.ref = undefined;
    rec.status = 'stopped';
    const out = await shutdownChild(this.#cell(), cell, rec.spec.shutdown);
    rec.lastExitReason = out.reason;
    this.#restarts.reportStopped(rec, cell, out);
  }

  /** Stops every running child in reverse start order. */
  async #stopAll(): Promise<void> {
    const all = this.#children;
    for (let i = all.length - 1; i >= 0; i--) {
      const r = all[i]!;
      r.renewToken();
      if (r.ref !== undefined) await this.#stopChild(r);
    }
  }

  // ------------------------------------------------------------------ static API

  /**
   * Starts a supervisor (not linked to the caller) and resolves with its ref once all its
   * children have started. Rejects with the specific validation error for a bad
   * definition (a `SupervisorSpecError`, or `InvalidOptionError` for a malformed shape), or
   * with `InitError` whose `reason` is a `FailedToStartChildError`.
   *
   * @example
   * const sup = await Supervisor.start(system, { strategy: 'one_for_all', children: [childSpec(Db, cfg)] }, { name: 'db_sup' });
   */
  static start<S extends Supervisor<any>>(
    this: new () => S,
    system: ActorSystem,
    arg: SupervisorArgOf<S>,
    options?: SpawnOptions,
  ): Promise<ActorRef<SupervisorProtocol>> {
    return system
      .spawn(this as never, arg as never, options)
      .catch(unwrapMisuse) as Promise<ActorRef<SupervisorProtocol>>;
  }

  /**
   * Starts a supervisor linked to the calling actor (`parent`: `this` inside a hook),
   * which becomes its parent, as OTP's `supervisor:start_link`: the parent gets the
   * supervisor's exit through the link (an `EXIT` message when it traps exits, say when the
   * supervisor gives up), and the parent's exit stops the supervisor in order. Resolves and
   * rejects as `start` does; a `parent` that is not a started actor rejects with
   * `InvalidOptionError`.
   *
   * @example
   * class Owner extends GenServer {
   *   override async init() {
   *     this.trapExit(true);
   *     this.sup = await Supervisor.startLink(this, { children: [childSpec(Worker, cfg)] });
   *   }
   *   override handleInfo(msg) { if (msg.type === 'EXIT' && msg.from === this.sup) this.stop('shutdown'); }
   * }
   */
  static startLink<S extends Supervisor<any>>(
    this: new () => S,
    parent: AnyBehaviour,
    arg: SupervisorArgOf<S>,
    options?: SpawnOptions,
  ): Promise<ActorRef<SupervisorProtocol>> {
    return startLinked(parent, this as never, arg, options) as Promise<ActorRef<SupervisorProtocol>>;
  }

  /**
   * The child spec of a nested supervisor (type `supervisor`, shutdown `infinity`).
   *
   * @example
   * Supervisor.childSpec({ strategy: 'rest_for_one', children: [...] }, { id: 'db_tree' })
   */
  static childSpec<S extends Supervisor<any>>(this: new () => S, arg: SupervisorArgOf<S>, overrides?: ChildSpecOverrides): ChildSpec<S> {
    const spec: ChildSpec<S> = { id: this.name, start: { behaviour: this, arg: arg as InitArgOf<S> }, type: 'supervisor' };
    return withOverrides(spec, overrides);
  }

  /**
   * Adds a child at run time and starts it. A bad spec rejects with its validation error.
   *
   * @example
   * const r = await Supervisor.startChild(sup, childSpec(Worker, 1, { id: 'w1' }));
   * if (r.status === 'ok') use(r.ref);
   */
  static startChild(sup: ActorRef<SupervisorProtocol>, spec: ChildSpec): Promise<StartChildResult> {
    return supervisorCall(sup, { type: 'start_child', spec }).then(rethrowMisuse);
  }

  /** Starts again a child that has a spec and no actor: `ok`, `running`, `restarting`, `not_found`, `ignore` or `error`. */
  static restartChild(sup: ActorRef<SupervisorProtocol>, id: string): Promise<RestartChildResult> {
    return supervisorCall(sup, { type: 'restart_child', id });
  }

  /** Stops a child by id (its spec is kept unless it is temporary); `'ok'` even if it was not running. */
  static terminateChild(sup: ActorRef<SupervisorProtocol>, id: string): Promise<'ok' | 'not_found'> {
    return supervisorCall(sup, { type: 'terminate_child', id });
  }

  /** Deletes a stopped child's spec: `'ok'`, or `'running'`, `'restarting'`, `'not_found'`. */
  static deleteChild(sup: ActorRef<SupervisorProtocol>, id: string): Promise<'ok' | 'running' | 'restarting' | 'not_found'> {
    return supervisorCall(sup, { type: 'delete_child', id });
  }

  /** The children in start order, each with its ref, `'restarting'`, or undefined. */
  static whichChildren(sup: ActorRef<SupervisorProtocol>): Promise<ChildEntry[]> {
    return supervisorCall(sup, { type: 'which_children' });
  }

  /** Counts of specs, live children, supervisors and workers. */
  static countChildren(sup: ActorRef<SupervisorProtocol>): Promise<ChildCounts> {
    return supervisorCall(sup, { type: 'count_children' });
  }

  /** The child spec registered under `id` with every default filled in (as OTP's `get_childspec`), or `'not_found'`. */
  static getChildSpec(sup: ActorRef<SupervisorProtocol>, id: string): Promise<ChildSpec | 'not_found'> {
    return supervisorCall(sup, { type: 'get_childspec', id });
  }
}

function entryOf(r: ChildRecord): ChildEntry {
  return { id: r.spec.id, ref: r.ref ?? (r.status === 'restarting' ? 'restarting' : undefined), type: r.spec.type, restart: r.spec.restart };
}

/** A child spec with its defaults filled in, as `getChildSpec` answers it. */
function completeSpec(spec: NormalizedSpec | undefined): ChildSpec | 'not_found' {
  if (spec === undefined) return 'not_found';
  const { id, start, restart, shutdown, type, significant, startTimeout } = spec;
  return { id, start, restart, shutdown, type, significant, ...(startTimeout === Infinity ? {} : { startTimeout }) };
}
