import { nanoid } from 'nanoid';
import type { AnyBehaviour, BehaviourClass } from '../behaviour/Behaviour.js';
import { attach } from '../behaviour/attach.js';
import { AlreadyStartedError, InitError, InitIgnoredError, SystemStoppedError } from '../errors/errors.js';
import { type ActorRef, addMonitor, type Cell, completeInit, createCell, discardCell, failInit, isThenable, linkCells, MonitorRef, runAs, traceSpawn, type Watcher } from '../kernel/index.js';
import { describeName, type ViaName } from '../names/NameProvider.js';
import type { StartResult } from './ActorSystem.js';
import { validateSpawnOptions, type SpawnOptions } from './SpawnOptions.js';
import type { SystemCore } from './SystemCore.js';
import { validateBehaviourClass, validateInstance } from './validateBehaviour.js';

/**
 * The start protocol (OTP's proc_lib start): validate, build the cell, claim its name,
 * link and monitor it, run `init` as the new process, and answer OTP's start outcomes as
 * values. Shared by `ActorSystem` (from outside any actor), the behaviour API (from an
 * actor) and the supervisors (with a `created` hook for their start timeout). @internal
 *
 * @example
 * const r = await startFrom(core, supCell, Worker, cfg, undefined, (cell) => launch.cells.push(cell));
 */

/** A start's outcome; `ok` carries the monitor made by spawnMonitor (undefined otherwise). */
export type Outcome =
  | { readonly status: 'ok'; readonly ref: Cell; readonly monitor: MonitorRef | undefined }
  | { readonly status: 'ignore' }
  | { readonly status: 'error'; readonly reason: unknown };

/** What spawn resolves with when it also monitors: the cell and the monitor. */
export interface Spawned {
  readonly ref: Cell;
  readonly monitor: MonitorRef | undefined;
}

function publicOutcome(o: Outcome): StartResult<any> {
  return o.status === 'ok' ? { status: 'ok', ref: o.ref } : o;
}

/**
 * Starts a process and returns the outcome as a value, or a promise of it when init is
 * asynchronous. Misuse (not a behaviour, bad options, a stopped system) is a rejected promise.
 */
export function startCell(
  core: SystemCore,
  parent: Cell | null,
  behaviour: BehaviourClass,
  arg: unknown,
  options: SpawnOptions | undefined,
  link: boolean,
  watcher: Watcher | null,
  created?: (cell: Cell) => void,
): Outcome | Promise<Outcome> {
  let cell: Cell;
  let b: AnyBehaviour;
  try {
    if (core.stopped) throw new SystemStoppedError(core.name);
    validateBehaviourClass(behaviour);
    const limits = options === undefined ? null : validateSpawnOptions(options);
    b = new behaviour();
    validateInstance(b, behaviour);
    const name = options?.name;
    if (typeof name === 'string') {
      const holder = core.names.get(name);
      if (holder !== undefined) return { status: 'error', reason: new AlreadyStartedError(name, holder) };
    }
    cell = createCell(core, nanoid(12), b, behaviour.name || 'anonymous', link ? parent : null, limits, options?.trapExit === true);
    attach(b, cell);
    if (name !== undefined && typeof name !== 'string' && typeof name.via.claimName === 'function') {
      return claimThenLaunch(core, parent, cell, b, name, arg, link, watcher, created);
    }
    core.live.add(cell);
    if (typeof name === 'string') {
      core.names.claim(name, cell);
    } else if (name !== undefined) {
      let holder: ActorRef | undefined;
      try {
        holder = name.via.registerName(name.key, cell);
      } catch (e) {
        // A provider that refuses (a stopped registry, duplicate keys) must not leave a half-started cell behind.
        core.live.remove(cell);
        discardCell(cell);
        throw e;
      }
      if (holder !== undefined) {
        core.live.remove(cell);
        discardCell(cell);
        return { status: 'error', reason: new AlreadyStartedError(describeName(name), holder) };
      }
    }
  } catch (e) {
    return Promise.reject(e);
  }
  return launch(parent, cell, b, arg, link, watcher, created);
}

/**
 * The start of a cell named through a provider with an asynchronous `claimName` (a cluster
 * registry): the cell exists but is not live and its init has not run until the claim
 * settles. A holder answers `AlreadyStartedError`; a throw rejects; a system stopped
 * meanwhile gives the name back and rejects with `SystemStoppedError`. The cell never ran in
 * any of them.
 */
async function claimThenLaunch(
  core: SystemCore,
  parent: Cell | null,
  cell: Cell,
  b: AnyBehaviour,
  name: ViaName,
  arg: unknown,
  link: boolean,
  watcher: Watcher | null,
  created: ((cell: Cell) => void) | undefined,
): Promise<Outcome> {
  let holder: ActorRef | undefined;
  try {
    holder = await name.via.claimName!(name.key, cell);
  } catch (e) {
    discardCell(cell);
    throw e;
  }
  if (holder !== undefined) {
    discardCell(cell);
    return { status: 'error', reason: new AlreadyStartedError(describeName(name), holder) };
  }
  if (core.stopped) {
    try {
      name.via.unregisterName(name.key, cell);
    } finally {
      discardCell(cell);
    }
    throw new SystemStoppedError(core.name);
  }
  core.live.add(cell);
  return launch(parent, cell, b, arg, link, watcher, created);
}

/** Links and monitors a named, live cell, then runs its init as the new process. */
function launch(
  parent: Cell | null,
  cell: Cell,
  b: AnyBehaviour,
  arg: unknown,
  link: boolean,
  watcher: Watcher | null,
  created: ((cell: Cell) => void) | undefined,
): Outcome | Promise<Outcome> {
  if (parent !== null) traceSpawn(parent, cell);
  if (link && parent !== null) linkCells(parent, cell);
  created?.(cell);
  const mref = watcher === null ? undefined : addMonitor(watcher, cell);
  let r: unknown;
  try {
    r = runAs(cell, () => b.onInit(arg));
  } catch (e) {
    return initFailed(cell, e);
  }
  if (r !== undefined && isThenable(r)) {
    return Promise.resolve(r).then(
      (v) => initDone(cell, v, mref),
      (e) => initFailed(cell, e),
    );
  }
  return initDone(cell, r, mref);
}

function initDone(cell: Cell, value: unknown, mref: MonitorRef | undefined): Outcome {
  const o = completeInit(cell, value);
  return o.status === 'ok' ? { status: 'ok', ref: cell, monitor: mref } : o;
}

function initFailed(cell: Cell, error: unknown): Outcome {
  failInit(cell, error);
  return { status: 'error', reason: error };
}

/**
 * Starts a process linked to `parent` (when given) and returns the OTP start outcome as a
 * value. `created`, if given, is told of the cell as soon as it exists, before its init
 * runs (a supervisor's start timeout kills it even while init is pending).
 */
export function startFrom(
  core: SystemCore,
  parent: Cell | null,
  behaviour: BehaviourClass,
  arg: unknown,
  options: SpawnOptions | undefined,
  created?: (cell: Cell) => void,
): Promise<StartResult<any>> {
  const o = startCell(core, parent, behaviour, arg, options, parent !== null, null, created);
  if (o instanceof Promise) return o.then(publicOutcome);
  return Promise.resolve(publicOutcome(o));
}

/** `start` from outside any actor: the outcome as a value. */
export function startOutcome(core: SystemCore, behaviour: BehaviourClass, arg: unknown, options: SpawnOptions | undefined): Promise<StartResult<any>> {
  return Promise.resolve(startCell(core, null, behaviour, arg, options, false, null)).then(publicOutcome);
}

/**
 * `spawn`: starts a process and resolves with its cell (`withMonitor`: with the monitor
 * too), or rejects with `InitError`, `InitIgnoredError` or `AlreadyStartedError`; no extra
 * hop when init was synchronous.
 */
export function spawnFrom(
  core: SystemCore,
  parent: Cell | null,
  behaviour: BehaviourClass,
  arg: unknown,
  options: SpawnOptions | undefined,
  link: boolean,
  watcher: Watcher | null,
  withMonitor: boolean,
): Promise<unknown> {
  const o = startCell(core, parent, behaviour, arg, options, link, watcher);
  if (o instanceof Promise) return o.then((x) => pick(behaviour, x, withMonitor));
  try {
    return Promise.resolve(pick(behaviour, o, withMonitor));
  } catch (e) {
    return Promise.reject(e);
  }
}

function pick(behaviour: BehaviourClass, o: Outcome, withMonitor: boolean): Cell | Spawned {
  const r = unwrapOutcome(behaviour, o);
  return withMonitor ? r : r.ref;
}

/** The started cell and its monitor, or the start's failure as spawn's error. */
export function unwrapOutcome(behaviour: BehaviourClass, o: Outcome): Spawned {
  if (o.status === 'ok') return o;
  const kind = behaviour.name || 'anonymous';
  if (o.status === 'ignore') throw new InitIgnoredError(kind);
  if (o.reason instanceof AlreadyStartedError) throw o.reason;
  throw new InitError(kind, o.reason);
}
