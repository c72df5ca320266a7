import { type ActorRef, type Cell } from '../kernel/index.js';
import { GenServer, type AnyBehaviour, type InitArgOf, type ProtocolOf } from '../actor/GenServer.js';
import type { Call, Protocol, SystemInfo, UnknownProtocol } from '../actor/Protocol.js';
import { InvalidOptionError } from '../errors/errors.js';
import { badRef } from '../validation/ref.js';
import type { ActorSystem, StartResult } from '../system/ActorSystem.js';
import type { SpawnOptions } from '../system/SpawnOptions.js';
import { withOverrides, normalizeSpec, type BehaviourStart, type ChildSpec, type ChildSpecOverrides, type ChildStarter, type NormalizedSpec } from './ChildSpec.js';
import { ChildRecord, countOf, launchChild, rethrowMisuse, startLinked, supervisorCall, unwrapMisuse } from './children.js';
import { MaxChildrenError } from './errors.js';
import { describeSupervisor, type SupervisedChildInfo, type SupervisorInfo, type Supervising } from './introspection.js';
import type { ChildCounts, ChildEntry } from './protocol.js';
import { RestartCore, type RestartHost } from './RestartCore.js';
import { shutdownAll, shutdownChild } from './shutdownChild.js';
import { type ChildRef, isChildRef } from './ChildRef.js';
import { normalizePolicy, type RestartPolicy } from './SupervisorFlags.js';

/**
 * Options of a dynamic supervisor.
 *
 * @example
 * { maxChildren: 10_000, intensity: 3, period: 5000, extraArguments: { pool: 'db' } }
 */
export interface DynamicSupervisorOptions<E = undefined> extends RestartPolicy {
  /** Children allowed at once, running or restarting (default unlimited). */
  readonly maxChildren?: number;
  /** Handed to every child's start function as `starter.extra` (Elixir's `extra_arguments`). */
  readonly extraArguments?: E;
}

/**
 * A dynamic supervisor's child spec: the id is optional (children are known by ref).
 * `B` is the behaviour of a `{ behaviour, arg }` start, `P` the protocol a start
 * function's actor has: `startChild` types the child's ref with them.
 *
 * @example
 * const spec: DynamicChildSpec<Session> = { start: { behaviour: Session, arg: user }, restart: 'temporary' };
 */
export interface DynamicChildSpec<B extends AnyBehaviour = AnyBehaviour, P extends Protocol = UnknownProtocol> extends Omit<ChildSpec<B>, 'id' | 'start'> {
  readonly id?: string;
  readonly start: BehaviourStart<B> | ((starter: ChildStarter<any>) => Promise<StartResult<P>>);
}

/** The protocol of the child a dynamic child spec starts: its behaviour's, or its start function's actor's. */
export type DynamicChildProtocol<B, P> = AnyBehaviour extends B ? P : ProtocolOf<B>;

/**
 * What a dynamic supervisor's `startChild` answers; `ok` carries the child's ref, typed
 * by the protocol of the behaviour (or start function) in the spec.
 *
 * @example
 * const r: DynamicStartResult<SessionProtocol> = await DynamicSupervisor.startChild(sup, { start: { behaviour: Session, arg: user } });
 */
export type DynamicStartResult<P extends Protocol = UnknownProtocol> =
  | { readonly status: 'ok'; readonly ref: ActorRef<P> }
  | { readonly status: 'ignore' }
  | { readonly status: 'error'; readonly reason: unknown };

/** The calls a dynamic supervisor answers (wrapped by the static helpers). */
export interface DynamicSupervisorProtocol {
  call:
    | Call<'start_child', DynamicStartResult, { spec: DynamicChildSpec }>
    | Call<'terminate_child', 'ok' | 'not_found', { ref: ActorRef }>
    | Call<'which_children', ChildEntry[]>
    | Call<'count_children', ChildCounts>;
  /** The supervisor's own retry message. @internal */
  info: { readonly type: '$restart'; readonly record: unknown; readonly token: number; readonly counted: boolean };
}

type Request = DynamicSupervisorProtocol['call'];

/** The options of a dynamic supervisor class: its `init` argument, or `DynamicSupervisorOptions<any>` for `DynamicSupervisor` itself. */
export type DynamicArgOf<S> = unknown extends InitArgOf<S> ? DynamicSupervisorOptions<any> : InitArgOf<S>;
type RestartMessage = DynamicSupervisorProtocol['info'];

/**
 * A dynamic supervisor (Elixir's `DynamicSupervisor`): starts with no children, adds them
 * with `startChild`, one_for_one only, children known by ref, stopped all at once on
 * shutdown, killed by one timer per shutdown time.
 *
 * @example
 * const sup = await DynamicSupervisor.start(system, { maxChildren: 1000 });
 * const r = await DynamicSupervisor.startChild(sup, { start: { behaviour: Session, arg: user } });
 * if (r.status === 'ok') await DynamicSupervisor.terminateChild(sup, r.ref);
 */
export class DynamicSupervisor<E = undefined> extends GenServer<DynamicSupervisorProtocol, undefined, DynamicSupervisorOptions<E>> implements Supervising {
  /** Restart window, backoff, retries, giving up and reports; this class keeps the child set and `maxChildren`. */
  #restarts!: RestartCore<RestartMessage>;
  #maxChildren = Infinity;
  #extra: unknown = undefined;
  /** Running children, in start order. */
  readonly #running = new Map<ChildRef, ChildRecord>();
  readonly #restarting = new Set<ChildRecord>();

  override init(options: DynamicSupervisorOptions<E> = {}): void {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object { maxChildren?, intensity?, period?, extraArguments? }', options);
    const policy = normalizePolicy(options);
    const max = options.maxChildren ?? Infinity;
    if (max !== Infinity && (!Number.isInteger(max) || max < 0)) throw new InvalidOptionError('maxChildren', 'an integer >= 0 or Infinity', max);
    this.#maxChildren = max;
    this.#extra = options.extraArguments;
    this.#restarts = new RestartCore(policy, this.#restartHost());
    this.trapExit(true);
  }

  override handleCall(req: Request): ReturnType<GenServer<DynamicSupervisorProtocol>['handleCall']> {
    switch (req.type) {
      case 'start_child':
        return this.#startChild(req.spec);
      case 'terminate_child':
        return this.#terminateChild(req.ref);
      case 'which_children':
        return [...this.#records()].map(entryOf);
      case 'count_children':
        return countOf(this.#records());
    }
  }

  override handleInfo(msg: RestartMessage | SystemInfo): void | Promise<void> {
    return this.#restarts.handleInfo(msg);
  }

  /** Stops every child at once; a timer per shutdown time kills the ones left (one timer when they share a shutdown). */
  override async terminate(): Promise<void> {
    this.#restarting.clear();
    const list = [...this.#running];
    this.#running.clear();
    const outs = await shutdownAll(
      this.#cell(),
      list.map(([cell, rec]) => ({ cell, shutdown: rec.spec.shutdown })),
    );
    for (let i = 0; i < list.length; i++) {
      const [cell, rec] = list[i]!;
      this.#restarts.reportStopped(rec, cell, outs[i]!);
    }
  }

  [describeSupervisor](): SupervisorInfo {
    const children: SupervisedChildInfo[] = [];
    for (const [cell, rec] of this.#running) children.push({ ...rec.info(), id: idOf(rec, cell) });
    for (const rec of this.#restarting) children.push({ ...rec.info(), id: rec.spec.id || '(restarting)' });
    return { strategy: 'one_for_one', intensity: this.#restarts?.policy.intensity ?? 0, period: this.#restarts?.policy.period ?? 0, children };
  }

  // ------------------------------------------------------------------ internals

  /** What the restart core asks of this supervisor: its child table and its strategy. */
  #restartHost(): RestartHost<RestartMessage> {
    return {
      cell: () => this.#cell(),
      logger: () => this.logger,
      stop: (reason) => this.stop(reason),
      sendAfter: (msg, ms) => void this.sendAfter(msg, ms),
      takeChild: (cell) => {
        const rec = this.#running.get(cell);
        if (rec !== undefined) this.#running.delete(cell);
        return rec;
      },
      retryMessage: (rec, token, counted) => ({ type: '$restart', record: rec, token, counted }),
      retryTarget: (msg) => {
        const rec = msg.record as ChildRecord;
        return this.#restarting.has(rec) ? rec : undefined;
      },
      restartSet: (rec) => [rec],
      holds: () => true,
      startAgain: (rec) => this.#start(rec, true),
      restarting: (rec) => void this.#restarting.add(rec),
      restarted: (rec) => void this.#restarting.delete(rec),
    };
  }

  #cell(): Cell {
    return this.self as unknown as Cell;
  }

  *#records(): Iterable<ChildRecord> {
    yield* this.#running.values();
    yield* this.#restarting;
  }

  async #startChild(raw: DynamicChildSpec): Promise<DynamicStartResult> {
    let spec: NormalizedSpec;
    try {
      spec = normalizeSpec({ id: '', ...raw } as ChildSpec, 'never', false);
    } catch (e) {
      return { status: 'error', reason: e };
    }
    if (this.#running.size + this.#restarting.size >= this.#maxChildren) return { status: 'error', reason: new MaxChildrenError(this.#maxChildren) };
    const rec = new ChildRecord(spec);
    const r = await this.#start(rec);
    return r.status === 'ok' ? { status: 'ok', ref: r.ref } : r;
  }

  /** Starts `rec`'s child; a restart (`again`) counts in `rec.restarts` once it succeeds. */
  async #start(rec: ChildRecord, again = false): Promise<StartResult<any>> {
    const sup = this.#cell();
    const r = await launchChild(sup, rec.spec, this.#extra);
    if (r.status === 'ok') {
      const cell = r.ref as unknown as ChildRef;
      if (again) rec.restarts++;
      rec.started(cell);
      this.#running.set(cell, rec);
      this.#restarts.reportStarted(rec, cell);
    }
    return r;
  }

  async #terminateChild(ref: ActorRef): Promise<'ok' | 'not_found'> {
    const cell = ref as ChildRef;
    const rec = this.#running.get(cell);
    if (rec === undefined) return this.#forgetRestarting(cell);
    this.#running.delete(cell);
    const out = await shutdownChild(this.#cell(), cell, rec.spec.shutdown);
    this.#restarts.reportStopped(rec, cell, out);
    return 'ok';
  }

  /**
   * `terminateChild` of a child whose restart is pending or keeps failing, known by the ref
   * it last ran under: it is forgotten, its retries stop and its `maxChildren` slot is
   * freed (OTP-9549). `'not_found'` if no restarting child ran under `cell`.
   */
  #forgetRestarting(cell: ChildRef): 'ok' | 'not_found' {
    for (const rec of this.#restarting) {
      if (rec.lastRef !== cell) continue;
      this.#restarting.delete(rec);
      rec.renewToken(); // cancels the pending retry
      rec.status = 'stopped';
      return 'ok';
    }
    return 'not_found';
  }

  // ------------------------------------------------------------------ static API

  /**
   * Starts a dynamic supervisor (not linked to the caller).
   *
   * @example
   * const sup = await DynamicSupervisor.start(system, { maxChildren: 100 }, { name: 'sessions' });
   */
  static start<S extends DynamicSupervisor<any>>(this: new () => S, system: ActorSystem, options?: DynamicArgOf<S>, spawnOptions?: SpawnOptions): Promise<ActorRef<DynamicSupervisorProtocol>> {
    return system.spawn(this as never, (options ?? {}) as never, spawnOptions).catch(unwrapMisuse) as Promise<ActorRef<DynamicSupervisorProtocol>>;
  }

  /**
   * Starts a dynamic supervisor linked to the calling actor (`parent`: `this` inside a
   * hook), which becomes its parent: the parent gets its exit through the link (an `EXIT`
   * message when trapping), and the parent's exit stops it. Resolves and rejects as `start`.
   *
   * @example
   * this.sessions = await DynamicSupervisor.startLink(this, { maxChildren: 100 });
   */
  static startLink<S extends DynamicSupervisor<any>>(this: new () => S, parent: AnyBehaviour, options?: DynamicArgOf<S>, spawnOptions?: SpawnOptions): Promise<ActorRef<DynamicSupervisorProtocol>> {
    return startLinked(parent, this as never, options ?? {}, spawnOptions) as Promise<ActorRef<DynamicSupervisorProtocol>>;
  }

  /**
   * The child spec of a dynamic supervisor nested in a tree.
   *
   * @example
   * DynamicSupervisor.childSpec({ maxChildren: 100 }, { id: 'sessions' })
   */
  static childSpec<S extends DynamicSupervisor<any>>(this: new () => S, options?: DynamicArgOf<S>, overrides?: ChildSpecOverrides): ChildSpec<S> {
    const spec: ChildSpec<S> = { id: this.name, start: { behaviour: this, arg: (options ?? {}) as InitArgOf<S> }, type: 'supervisor' };
    return withOverrides(spec, overrides);
  }

  /**
   * Starts a child: `ok` with its ref, `ignore`, or `error` (a start failure, or a
   * `MaxChildrenError` reason). A bad spec rejects with its validation error. The ref is
   * typed by the spec: the behaviour's protocol, or the protocol of the actor a start
   * function starts.
   *
   * @example
   * const r = await DynamicSupervisor.startChild(sup, { start: { behaviour: Session, arg: user } });
   * if (r.status === 'ok') await call(r.ref, { type: 'ping' }); // r.ref: ActorRef<SessionProtocol>
   */
  static startChild<B extends AnyBehaviour = AnyBehaviour, P extends Protocol = UnknownProtocol>(
    sup: ActorRef<DynamicSupervisorProtocol>,
    spec: DynamicChildSpec<B, P>,
  ): Promise<DynamicStartResult<DynamicChildProtocol<B, P>>> {
    return supervisorCall(sup, { type: 'start_child', spec }).then(rethrowMisuse) as Promise<DynamicStartResult<DynamicChildProtocol<B, P>>>;
  }

  /**
   * Stops a child by ref and forgets it: `'ok'`, or `'not_found'` if it is not a child of
   * this supervisor. A child being restarted (its restart pending or failing) is known by
   * the ref it crashed under: it answers `'ok'`, its retries stop and its `maxChildren`
   * slot is freed (OTP/Elixir). A `ref` that is not an ActorRef rejects with
   * `InvalidOptionError`.
   *
   * @example
   * if ((await DynamicSupervisor.startChild(sup, spec)).status === 'ok') await DynamicSupervisor.terminateChild(sup, ref);
   */
  static terminateChild(sup: ActorRef<DynamicSupervisorProtocol>, ref: ActorRef): Promise<'ok' | 'not_found'> {
    if (!isChildRef(ref)) return Promise.reject(badRef('DynamicSupervisor.terminateChild', ref));
    return supervisorCall(sup, { type: 'terminate_child', ref });
  }

  /** The children: running ones in start order, then restarting ones. */
  static whichChildren(sup: ActorRef<DynamicSupervisorProtocol>): Promise<ChildEntry[]> {
    return supervisorCall(sup, { type: 'which_children' });
  }

  /** Counts of children, live ones, supervisors and workers. */
  static countChildren(sup: ActorRef<DynamicSupervisorProtocol>): Promise<ChildCounts> {
    return supervisorCall(sup, { type: 'count_children' });
  }
}

function idOf(rec: ChildRecord, cell: ChildRef): string {
  return rec.spec.id || cell.id;
}

function entryOf(r: ChildRecord): ChildEntry {
  return { id: r.spec.id, ref: r.ref ?? 'restarting', type: r.spec.type, restart: r.spec.restart };
}
