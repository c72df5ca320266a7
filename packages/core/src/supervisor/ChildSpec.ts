import type { ActorRef } from '../kernel/index.js';
import type { AnyBehaviour, BehaviourClass, InitArgOf, ProtocolOf } from '../behaviour/Behaviour.js';
import type { ActorSystem, StartResult } from '../system/ActorSystem.js';
import type { SpawnOptionsOf } from '../system/SpawnOptions.js';
import { InvalidOptionError } from '../errors/errors.js';
import {
  BadSignificantError,
  DuplicateChildIdError,
  InvalidChildTypeError,
  InvalidRestartTypeError,
  InvalidShutdownError,
  SHUTDOWN_RULE,
  START_TIMEOUT_RULE,
  InvalidStartTimeoutError,
  MissingChildIdError,
  MissingChildStartError,
  UnknownChildSpecKeyError,
} from './errors.js';
import { closestKey } from '../validation/closestKey.js';
import { isTimeout } from '../validation/timeout.js';

/** When a child is restarted: always, only after an abnormal exit, or never. */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/** A worker, or a supervisor (its default shutdown is `'infinity'`, so its own children can stop). */
export type ChildType = 'worker' | 'supervisor';

/** How a child is stopped: killed at once, asked with `shutdown` and killed after that many ms, or waited for forever. */
export type Shutdown = 'brutal_kill' | 'infinity' | number;

/**
 * Starts an actor linked to the supervisor: what a start function receives.
 * `extra` is the dynamic supervisor's `extraArguments` (undefined elsewhere).
 */
export interface ChildStarter<E = unknown> {
  readonly system: ActorSystem;
  /** The supervisor doing the start. */
  readonly supervisor: ActorRef;
  readonly extra: E;
  /** Starts `behaviour` linked to the supervisor and returns the outcome as a value. */
  startLink<B extends AnyBehaviour>(behaviour: BehaviourClass<B>, arg: InitArgOf<B>, options?: SpawnOptionsOf<NoInfer<B>>): Promise<StartResult<ProtocolOf<B>>>;
}

/** A start given as a behaviour and its init argument (and spawn options: a name, a mailbox bound). */
export interface BehaviourStart<B extends AnyBehaviour = AnyBehaviour> {
  readonly behaviour: BehaviourClass<B>;
  readonly arg: InitArgOf<B>;
  /** Spawn options; a typed name must be of the behaviour's protocol. */
  readonly options?: SpawnOptionsOf<NoInfer<B>>;
}

/** A start given as a function: it must start one actor through `starter.startLink` (or link it to the supervisor). */
export type StartFunction<E = any> = (starter: ChildStarter<E>) => Promise<StartResult<any>>;

/**
 * How a supervisor starts, restarts and stops one child (OTP's child spec).
 *
 * @example
 * const spec: ChildSpec = {
 *   id: 'cache',
 *   start: { behaviour: Cache, arg: { size: 100 } },
 *   restart: 'permanent',   // default
 *   shutdown: 5000,         // default for workers; 'infinity' for supervisors
 *   type: 'worker',         // default
 *   startTimeout: 10_000,   // optional: fail the start if it takes longer (default: wait)
 * };
 */
export interface ChildSpec<B extends AnyBehaviour = AnyBehaviour> {
  /** Unique within the supervisor. */
  readonly id: string;
  readonly start: BehaviourStart<B> | StartFunction;
  /** Default `'permanent'`. */
  readonly restart?: RestartType;
  /** Default 5000 ms for workers, `'infinity'` for supervisors. */
  readonly shutdown?: Shutdown;
  /** Default `'worker'`. */
  readonly type?: ChildType;
  /** If true, its exit can shut the supervisor down (see `autoShutdown`). Default false. */
  readonly significant?: boolean;
  /**
   * Milliseconds the start (the start function, or the behaviour's `init`) may take; past
   * them it fails with `ChildStartTimeoutError` and the child is killed, even while its
   * `init` is pending (a child arriving later is killed too).
   * Default `Infinity`: wait as long as it takes (OTP's behaviour).
   */
  readonly startTimeout?: number;
}

/** The fields of a child spec that `childSpec` lets you override, and the spawn options of its start (a name, a mailbox bound; a typed name must be of `B`'s protocol). */
export type ChildSpecOverrides<B = AnyBehaviour> = Partial<Omit<ChildSpec, 'start'>> & { readonly options?: SpawnOptionsOf<NoInfer<B>> };

/** A behaviour class that describes how it is supervised: `static childSpec(arg)`. */
export interface SupervisableClass<B extends AnyBehaviour> extends BehaviourClass<B> {
  childSpec?(arg: InitArgOf<B>): ChildSpec;
}

/**
 * Builds the child spec of a behaviour: the behaviour's own `static childSpec(arg)` if it
 * has one, else `{ id: <class name>, start: { behaviour, arg } }`; then `overrides`.
 * The argument is type-checked against the behaviour's `init`.
 *
 * @example
 * childSpec(Counter, 0, { id: 'counter', restart: 'transient', options: { name: 'counter' } })
 */
export function childSpec<B extends AnyBehaviour>(behaviour: SupervisableClass<B>, arg: InitArgOf<B>, overrides?: ChildSpecOverrides<NoInfer<B>>): ChildSpec<B> {
  const base: ChildSpec<any> =
    typeof behaviour.childSpec === 'function' ? behaviour.childSpec(arg) : { id: behaviour.name, start: { behaviour, arg } };
  return withOverrides(base, overrides);
}

/**
 * Applies `childSpec` overrides; `options` go into a behaviour start. Overrides that are not
 * a plain object (`childSpec(C, 0, 5)`) throw `InvalidOptionError`. @internal
 */
export function withOverrides<S extends ChildSpec<any>>(base: S, overrides: ChildSpecOverrides | undefined): S {
  if (overrides === undefined) return base;
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new InvalidOptionError('childSpec: overrides', 'an object of child-spec fields ({ id?, restart?, shutdown?, type?, significant?, startTimeout?, options? }) or undefined', overrides);
  }
  const { options, ...fields } = overrides;
  const start = options !== undefined && typeof base.start === 'object' ? { ...base.start, options } : base.start;
  // An override left undefined keeps the base's value (`{ restart: opts.restart }` with no opts.restart).
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { ...base, ...defined, start };
}

/** A child spec with every default filled in and checked. @internal */
export interface NormalizedSpec {
  readonly id: string;
  readonly start: BehaviourStart | StartFunction;
  readonly restart: RestartType;
  readonly shutdown: Shutdown;
  readonly type: ChildType;
  readonly significant: boolean;
  readonly startTimeout: number;
}

/** Every key a child spec may have (a dynamic child spec too), for the unknown-key check. @internal */
export const CHILD_SPEC_KEYS: readonly string[] = ['id', 'start', 'restart', 'shutdown', 'type', 'significant', 'startTimeout'];

const RESTARTS: readonly string[] = ['permanent', 'transient', 'temporary'];

/**
 * Checks a child spec and fills in the defaults; throws the specific validation error.
 * `autoShutdown` is the supervisor's, for the significant check. @internal
 */
export function normalizeSpec(spec: ChildSpec, autoShutdown: string, requireId = true): NormalizedSpec {
  if (typeof spec !== 'object' || spec === null) throw new MissingChildIdError(spec);
  const id = spec.id;
  if (requireId && (typeof id !== 'string' || id === '')) throw new MissingChildIdError(id);
  for (const key of Object.keys(spec)) {
    if (!CHILD_SPEC_KEYS.includes(key)) throw new UnknownChildSpecKeyError(String(id), key, closestKey(key, CHILD_SPEC_KEYS), CHILD_SPEC_KEYS);
  }
  const start = spec.start;
  const okStart =
    typeof start === 'function' ||
    (typeof start === 'object' && start !== null && typeof (start as BehaviourStart).behaviour === 'function' && 'arg' in start);
  if (!okStart) throw new MissingChildStartError(String(id), start);
  const restart = spec.restart ?? 'permanent';
  if (!RESTARTS.includes(restart)) throw new InvalidRestartTypeError(id, restart);
  const type = spec.type ?? 'worker';
  if (type !== 'worker' && type !== 'supervisor') throw new InvalidChildTypeError(id, type);
  const shutdown = spec.shutdown ?? (type === 'supervisor' ? 'infinity' : 5000);
  if (!(shutdown === 'brutal_kill' || shutdown === 'infinity' || isTimeout(shutdown, SHUTDOWN_RULE))) {
    throw new InvalidShutdownError(id, shutdown);
  }
  const significant = spec.significant ?? false;
  if (typeof significant !== 'boolean') throw new InvalidOptionError(`child ${JSON.stringify(id)}: significant`, 'a boolean', significant);
  if (significant && restart === 'permanent') throw new BadSignificantError(id, 'permanent');
  if (significant && autoShutdown === 'never') throw new BadSignificantError(id, 'never');
  const startTimeout = spec.startTimeout ?? Infinity;
  if (!isTimeout(startTimeout, START_TIMEOUT_RULE)) {
    throw new InvalidStartTimeoutError(id, startTimeout);
  }
  return { id, start, restart, shutdown, type, significant, startTimeout };
}

/** Checks a list of child specs, including duplicate ids. @internal */
export function normalizeSpecs(specs: readonly ChildSpec[], autoShutdown: string): NormalizedSpec[] {
  if (!Array.isArray(specs)) throw new InvalidOptionError('children', 'an array of child specs', specs);
  const seen = new Set<string>();
  return specs.map((s) => {
    const n = normalizeSpec(s, autoShutdown);
    if (seen.has(n.id)) throw new DuplicateChildIdError(n.id);
    seen.add(n.id);
    return n;
  });
}
