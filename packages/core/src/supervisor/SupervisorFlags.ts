import { InvalidOptionError } from '../errors/errors.js';
import type { ChildSpec } from './ChildSpec.js';
import { BACKOFF_INITIAL_RULE, InvalidAutoShutdownError, InvalidBackoffError, InvalidIntensityError, InvalidPeriodError, InvalidStrategyError } from './errors.js';
import { isTimeout, timeoutExpected } from '../validation/timeout.js';

/**
 * Which children a supervisor restarts when one exits and must be restarted:
 * - `one_for_one`: only that child;
 * - `one_for_all`: all of them (the others are stopped first, in reverse start order);
 * - `rest_for_one`: that child and those started after it.
 */
export type Strategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';

/** When significant children shut their supervisor down. */
export type AutoShutdown = 'never' | 'any_significant' | 'all_significant';

/**
 * A delay before each restart, growing from `initialMs` by `factor` up to `maxMs` (an
 * Akka-style backoff; OTP has none). A child's delay starts over once it has run for
 * `maxMs`. Restarts still count against the intensity.
 *
 * @example
 * { initialMs: 100, maxMs: 10_000, factor: 2 } // 100, 200, 400 ... 10000 ms
 */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Default 2. */
  readonly factor?: number;
}

/** The restart policy shared by `Supervisor` and `DynamicSupervisor`. */
export interface RestartPolicy {
  /** Restarts tolerated within `period` (default 3); one more and the supervisor gives up. */
  readonly intensity?: number;
  /** The restart window in milliseconds (default 5000). */
  readonly period?: number;
  /** A delay before restarts (default none: restart at once, as in OTP). */
  readonly backoff?: Backoff;
}

/**
 * A supervisor: its flags and its children, started in this order.
 *
 * @example
 * const tree: SupervisorDef = {
 *   strategy: 'rest_for_one',
 *   intensity: 3, period: 5000,
 *   children: [childSpec(Db, cfg), childSpec(Api, port)],
 * };
 */
export interface SupervisorDef extends RestartPolicy {
  /** Default `'one_for_one'`. */
  readonly strategy?: Strategy;
  /** Default `'never'`. */
  readonly autoShutdown?: AutoShutdown;
  readonly children: readonly ChildSpec[];
}

/** Checked flags with defaults. @internal */
export interface NormalizedPolicy {
  readonly intensity: number;
  readonly period: number;
  readonly backoff: Required<Backoff> | null;
}

/** Defaults: Elixir's 3 restarts in 5 seconds. */
export const DEFAULT_INTENSITY = 3;
export const DEFAULT_PERIOD = 5000;

const STRATEGIES: readonly Strategy[] = ['one_for_one', 'one_for_all', 'rest_for_one'];
const AUTO: readonly AutoShutdown[] = ['never', 'any_significant', 'all_significant'];

/** @internal */
export function normalizePolicy(p: RestartPolicy): NormalizedPolicy {
  const intensity = p.intensity ?? DEFAULT_INTENSITY;
  if (!Number.isInteger(intensity) || intensity < 0) throw new InvalidIntensityError(intensity);
  const period = p.period ?? DEFAULT_PERIOD;
  if (!Number.isInteger(period) || period <= 0) throw new InvalidPeriodError(period);
  const b = p.backoff;
  if (b === undefined) return { intensity, period, backoff: null };
  if (typeof b !== 'object' || b === null) throw new InvalidBackoffError('', 'an object { initialMs, maxMs, factor? }', b);
  if (!isTimeout(b.initialMs, BACKOFF_INITIAL_RULE)) {
    throw new InvalidBackoffError('initialMs', `${timeoutExpected(BACKOFF_INITIAL_RULE)} (it is multiplied by factor at each restart)`, b.initialMs);
  }
  const maxRule = { min: b.initialMs, infinity: false };
  if (!isTimeout(b.maxMs, maxRule)) throw new InvalidBackoffError('maxMs', `${timeoutExpected(maxRule)} (at least initialMs)`, b.maxMs);
  const factor = b.factor ?? 2;
  if (typeof factor !== 'number' || !(factor >= 1) || !Number.isFinite(factor)) throw new InvalidBackoffError('factor', 'a finite number >= 1', factor);
  return { intensity, period, backoff: { initialMs: b.initialMs, maxMs: b.maxMs, factor } };
}

/** @internal */
export function normalizeDef(def: SupervisorDef): { strategy: Strategy; autoShutdown: AutoShutdown; policy: NormalizedPolicy } {
  if (typeof def !== 'object' || def === null) throw new InvalidOptionError('supervisor definition', 'an object { strategy?, intensity?, period?, children }', def);
  const strategy = def.strategy ?? 'one_for_one';
  if (!STRATEGIES.includes(strategy)) throw new InvalidStrategyError(strategy, STRATEGIES);
  const autoShutdown = def.autoShutdown ?? 'never';
  if (!AUTO.includes(autoShutdown)) throw new InvalidAutoShutdownError(autoShutdown);
  return { strategy, autoShutdown, policy: normalizePolicy(def) };
}

/**
 * Restart intensity: one sliding window per supervisor, shared by its children. @internal
 */
export class RestartWindow {
  readonly #stamps: number[] = [];
  constructor(
    readonly intensity: number,
    readonly period: number,
  ) {}

  /** Records a restart now; false when it is one too many (the supervisor must give up). */
  add(now = performance.now()): boolean {
    const s = this.#stamps;
    s.push(now);
    let drop = 0;
    while (drop < s.length && now - s[drop]! > this.period) drop++;
    if (drop > 0) s.splice(0, drop);
    return s.length <= this.intensity;
  }

  /** Restarts inside the window now. */
  get count(): number {
    const now = performance.now();
    return this.#stamps.filter((t) => now - t <= this.period).length;
  }
}

/** The delay before a child's next restart under `backoff`, for its `attempt` (0-based). @internal */
export function backoffDelay(b: Required<Backoff>, attempt: number): number {
  // initialMs > 0, so a huge power is Infinity (capped by min), never NaN.
  return Math.min(b.maxMs, b.initialMs * b.factor ** attempt);
}
