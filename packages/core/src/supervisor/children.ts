import { type ActorRef, type Cell, isCell } from '../kernel/index.js';
import { Behaviour, type AnyBehaviour, type BehaviourClass, type InitArgOf, type ProtocolOf } from '../behaviour/Behaviour.js';
import type { CallRequest, Protocol, ReplyOf } from '../actor/Protocol.js';
import { InitError, InvalidOptionError } from '../errors/errors.js';
import type { StartResult } from '../system/ActorSystem.js';
import type { SpawnOptions, SpawnOptionsOf } from '../system/SpawnOptions.js';
import { badRef } from '../validation/ref.js';
import { startFrom } from '../system/start.js';
import { coreOf, systemOf } from '../system/SystemCore.js';
import type { ChildStarter, NormalizedSpec } from './ChildSpec.js';
import { type ChildRef, exitChild, isChildRef, linkChild, unlinkChild } from './ChildRef.js';
import { ChildStartTimeoutError, SupervisorSpecError } from './errors.js';
import type { SupervisedChildInfo } from './introspection.js';
import type { ChildCounts } from './protocol.js';

let lastToken = 0;

/** A supervisor's record of one child: its spec, its actor if any, and its history. @internal */
export class ChildRecord {
  ref: ChildRef | undefined = undefined;
  /** The actor it ran under last: a restarting dynamic child is still known by it (OTP's `{restarting, Pid}`). */
  lastRef: ChildRef | undefined = undefined;
  status: 'running' | 'restarting' | 'stopped' = 'stopped';
  /** Starts after the first one. */
  restarts = 0;
  lastExitReason: unknown = undefined;
  startedAt = 0;
  /** Consecutive delayed restarts (backoff). */
  backoffAttempt = 0;
  /** The token a pending retry message must carry; renewed to cancel it. Unique across records. */
  token = 0;

  constructor(readonly spec: NormalizedSpec) {}

  /** Cancels any pending retry and returns the token for a new one. */
  renewToken(): number {
    return (this.token = ++lastToken);
  }

  started(child: ChildRef): void {
    this.ref = child;
    this.status = 'running';
    this.startedAt = performance.now();
  }

  exited(reason: unknown, backoffResetMs = Infinity): void {
    this.lastRef = this.ref;
    this.ref = undefined;
    this.status = 'stopped';
    this.lastExitReason = reason;
    if (performance.now() - this.startedAt >= backoffResetMs) this.backoffAttempt = 0;
  }

  info(): SupervisedChildInfo {
    return {
      id: this.spec.id,
      ref: this.ref,
      status: this.status,
      type: this.spec.type,
      restart: this.spec.restart,
      restarts: this.restarts,
      lastExitReason: this.lastExitReason,
    };
  }
}

/** What one launch created, so a start timeout can kill it. */
interface Launch {
  /** The cells the launch's start created linked to the supervisor (its behaviour start, `starter.startLink`). */
  readonly cells: Cell[];
  /** Set when the start timed out: nothing more may start for it. */
  late: boolean;
}

/**
 * Runs a child spec's start from `sup`: a behaviour start is spawned linked to the
 * supervisor; a start function gets a starter that does the same. Any thrown error or
 * malformed answer becomes an `error` outcome, and so does a start still pending after the
 * spec's `startTimeout` (`ChildStartTimeoutError`). On a timeout every actor the start
 * created through the supervisor is unlinked and killed, even one still in its `init`
 * (Elixir/OTP: a start timeout kills the child); a child arriving later is killed too, and
 * a start function's later `starter.startLink` starts nothing. @internal
 */
export function launchChild(sup: Cell, spec: NormalizedSpec, extra: unknown): Promise<StartResult<any>> {
  const timeout = spec.startTimeout;
  if (timeout === Infinity) return runStart(sup, spec, extra, null);
  const launch: Launch = { cells: [], late: false };
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      launch.late = true;
      for (const cell of launch.cells) killAbandoned(sup, cell);
      resolve({ status: 'error', reason: new ChildStartTimeoutError(spec.id, timeout) });
    }, timeout);
    void runStart(sup, spec, extra, launch).then((r) => {
      if (!launch.late) {
        clearTimeout(timer);
        resolve(r);
        return;
      }
      // The start was given up on: a child arriving now is nobody's child.
      if (r.status === 'ok') killAbandoned(sup, r.ref as unknown as ChildRef);
    });
  });
}

/** Unlinks a child whose start was given up on and kills it, so no EXIT of it reaches `sup`. */
function killAbandoned(sup: Cell, child: ChildRef): void {
  unlinkChild(sup, child);
  exitChild(sup, child, 'kill');
}

/** Runs the start itself; never rejects. */
async function runStart(sup: Cell, spec: NormalizedSpec, extra: unknown, launch: Launch | null): Promise<StartResult<any>> {
  const start = spec.start;
  const created = launch === null ? undefined : (cell: Cell) => launch.cells.push(cell);
  let r: StartResult<any>;
  try {
    if (typeof start === 'function') {
      r = await start(starterFor(sup, extra, spec, launch));
      if (typeof r !== 'object' || r === null || !['ok', 'ignore', 'error'].includes((r as { status?: string }).status ?? '')) {
        return { status: 'error', reason: new InvalidOptionError(`child ${JSON.stringify(spec.id)}: start()`, "a StartResult ({ status: 'ok', ref } | { status: 'ignore' } | { status: 'error', reason })", r) };
      }
      if (r.status === 'ok' && !isChildRef(r.ref)) {
        return { status: 'error', reason: new InvalidOptionError(`child ${JSON.stringify(spec.id)}: start().ref`, 'an ActorRef (local, or a remote ref from a cluster)', r.ref) };
      }
    } else {
      r = await startFrom(coreOf(sup), sup, start.behaviour, start.arg, start.options, created);
    }
  } catch (e) {
    return { status: 'error', reason: e };
  }
  // Only a child started unlinked is linked here. One the supervisor started linked
  // (a behaviour start, `starter.startLink`) keeps the links its init left: a child that
  // unlinked itself in init stays unlinked, as in OTP (supervisor_SUITE child_unlink).
  if (r.status === 'ok') linkChild(sup, r.ref as unknown as ChildRef);
  return r;
}

function starterFor(sup: Cell, extra: unknown, spec: NormalizedSpec, launch: Launch | null): ChildStarter {
  const created = launch === null ? undefined : (cell: Cell) => launch.cells.push(cell);
  return {
    system: systemOf(sup),
    supervisor: sup,
    extra,
    startLink<B extends AnyBehaviour>(behaviour: BehaviourClass<B>, arg: InitArgOf<B>, options?: SpawnOptionsOf<NoInfer<B>>): Promise<StartResult<ProtocolOf<B>>> {
      // A start function still running after its timeout starts nothing more.
      if (launch?.late === true) return Promise.resolve({ status: 'error', reason: new ChildStartTimeoutError(spec.id, spec.startTimeout) });
      return startFrom(coreOf(sup), sup, behaviour, arg, options, created) as Promise<StartResult<ProtocolOf<B>>>;
    },
  };
}

/** A call to a supervisor (static or dynamic) from outside any actor, with no timeout. @internal */
export function supervisorCall<P extends Protocol, const T extends string>(sup: ActorRef<P>, request: CallRequest<P, T>): Promise<ReplyOf<P, { type: T }>> {
  if (!isCell(sup)) return Promise.reject(badRef('a supervisor call', sup));
  return systemOf(sup).call(sup, request, { timeout: Infinity });
}

/** True for a bad definition or spec: a validation error, which the static helpers throw rather than answer. @internal */
export function isMisuse(reason: unknown): boolean {
  return reason instanceof SupervisorSpecError || reason instanceof InvalidOptionError;
}

/** Turns a validation error answered as `{ status: 'error' }` into a rejection: a bad spec is misuse. @internal */
export function rethrowMisuse<R extends { status: string; reason?: unknown }>(r: R): R {
  if (r.status === 'error' && isMisuse(r.reason)) throw r.reason;
  return r;
}

/** A supervisor's start that failed on a bad definition rejects with the validation error itself, not `InitError`. @internal */
export function unwrapMisuse(e: unknown): never {
  throw e instanceof InitError && isMisuse(e.reason) ? e.reason : e;
}

/** @internal */
export function countOf(children: Iterable<ChildRecord>): ChildCounts {
  let specs = 0;
  let active = 0;
  let supervisors = 0;
  let workers = 0;
  for (const r of children) {
    specs++;
    if (r.ref !== undefined) active++;
    if (r.spec.type === 'supervisor') supervisors++;
    else workers++;
  }
  return { specs, active, supervisors, workers };
}

/**
 * Starts supervisor class `sup` linked to the actor whose hook is running (`parent`, a
 * started Behaviour: `this`), which becomes its parent: the supervisor's exit reaches the
 * parent as a link exit (an EXIT message when it traps exits), and the parent's exit stops
 * the supervisor in order. Rejects like `start` (a bad definition with its validation
 * error, a failed start with `InitError`), and with `InvalidOptionError` for a `parent`
 * that is not a started actor. @internal
 */
export function startLinked(parent: unknown, sup: BehaviourClass, arg: unknown, options: SpawnOptions | undefined): Promise<ActorRef<any>> {
  if (!(parent instanceof Behaviour)) {
    return Promise.reject(new InvalidOptionError('parent', 'the calling actor (`this` inside a hook of a started behaviour)', parent));
  }
  let spawned: Promise<ActorRef<any>>;
  try {
    spawned = parent.spawnLink(sup as BehaviourClass<AnyBehaviour>, arg as never, options);
  } catch (e) {
    return Promise.reject(e);
  }
  return spawned.catch(unwrapMisuse);
}
