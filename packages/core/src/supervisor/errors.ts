import { ArborError, describe } from '../errors/ArborError.js';
import { formatReason } from '../exit/ExitReason.js';
import { timeoutExpected, type TimeoutRule } from '../validation/timeout.js';

/** A child's `shutdown` in milliseconds (the strings are checked beside it). @internal */
export const SHUTDOWN_RULE: TimeoutRule = { integer: true, infinity: false, or: "'infinity' (wait forever) or 'brutal_kill'" };
/** A child's `startTimeout`. @internal */
export const START_TIMEOUT_RULE: TimeoutRule = { integer: true, min: 1, note: 'Infinity is the default' };
/** `backoff.initialMs`: multiplied by `factor` at each restart, so above 0. @internal */
export const BACKOFF_INITIAL_RULE: TimeoutRule = { min: 0, aboveMin: true, infinity: false };

/**
 * The base of every supervisor or child spec validation error: the definition is wrong,
 * and the message says which field and how to fix it.
 *
 * @example
 * catch (e) { if (e instanceof SupervisorSpecError) console.error(e.code, e.message) }
 */
export abstract class SupervisorSpecError extends ArborError {}

/**
 * Supervisor flags: `strategy` is not one of the strategies.
 *
 * @example
 * Supervisor.start(system, { strategy: 'one_for_some' as any, children: [] }) // rejects
 */
export class InvalidStrategyError extends SupervisorSpecError {
  readonly code = 'invalid_strategy' as const;
  constructor(readonly value: unknown, allowed: readonly string[]) {
    super(`strategy must be one of ${allowed.map((s) => `'${s}'`).join(', ')}, got: ${describe(value)}`);
  }
}

/** Supervisor flags: `intensity` is not an integer >= 0. */
export class InvalidIntensityError extends SupervisorSpecError {
  readonly code = 'invalid_intensity' as const;
  constructor(readonly value: unknown) {
    super(`intensity must be an integer >= 0 (restarts tolerated within period; 0 = the first restart gives up), got: ${describe(value)}`);
  }
}

/** Supervisor flags: `period` is not an integer > 0 (milliseconds). */
export class InvalidPeriodError extends SupervisorSpecError {
  readonly code = 'invalid_period' as const;
  constructor(readonly value: unknown) {
    super(`period must be an integer > 0 (milliseconds of the restart window), got: ${describe(value)}`);
  }
}

/** Supervisor flags: `autoShutdown` is not `never`, `any_significant` or `all_significant`. */
export class InvalidAutoShutdownError extends SupervisorSpecError {
  readonly code = 'invalid_auto_shutdown' as const;
  constructor(readonly value: unknown) {
    super(`autoShutdown must be 'never', 'any_significant' or 'all_significant', got: ${describe(value)}`);
  }
}

/** Supervisor flags: `backoff` is malformed. */
export class InvalidBackoffError extends SupervisorSpecError {
  readonly code = 'invalid_backoff' as const;
  constructor(readonly option: string, expected: string, readonly value: unknown) {
    super(`backoff.${option} must be ${expected}, got: ${describe(value)}`);
  }
}

/** A child spec has no `id` (a non-empty string). */
export class MissingChildIdError extends SupervisorSpecError {
  readonly code = 'missing_id' as const;
  constructor(readonly value: unknown) {
    super(`a child spec needs an id (a non-empty string unique within its supervisor), got: ${describe(value)}; use childSpec(Behaviour, arg, { id })`);
  }
}

/** A child spec has no usable `start`. */
export class MissingChildStartError extends SupervisorSpecError {
  readonly code = 'missing_start' as const;
  constructor(readonly childId: string, readonly value: unknown) {
    super(
      `child ${JSON.stringify(childId)} needs start: { behaviour, arg, options? } or a function (starter) => starter.startLink(...), got: ${describe(value)}`,
    );
  }
}

/** A child spec's `restart` is not `permanent`, `transient` or `temporary`. */
export class InvalidRestartTypeError extends SupervisorSpecError {
  readonly code = 'invalid_restart_type' as const;
  constructor(readonly childId: string, readonly value: unknown) {
    super(`child ${JSON.stringify(childId)}: restart must be 'permanent', 'transient' or 'temporary', got: ${describe(value)}`);
  }
}

/** A child spec's `shutdown` is not an integer of milliseconds from 0 to 2^31-1, `'infinity'` or `'brutal_kill'`. */
export class InvalidShutdownError extends SupervisorSpecError {
  readonly code = 'invalid_shutdown' as const;
  constructor(readonly childId: string, readonly value: unknown) {
    super(`child ${JSON.stringify(childId)}: shutdown must be ${timeoutExpected(SHUTDOWN_RULE)}, got: ${describe(value)}`);
  }
}

/** A child spec's `type` is not `worker` or `supervisor`. */
export class InvalidChildTypeError extends SupervisorSpecError {
  readonly code = 'invalid_child_type' as const;
  constructor(readonly childId: string, readonly value: unknown) {
    super(`child ${JSON.stringify(childId)}: type must be 'worker' or 'supervisor', got: ${describe(value)}`);
  }
}

/**
 * A child spec has a key no child spec has (a typo such as `shutdwon`): the message names
 * the closest known key, so a misspelt option is not silently ignored.
 *
 * @example
 * Supervisor.start(system, { children: [{ id: 'w', start, shutdwon: 100 } as ChildSpec] })
 * // rejects: child "w": unknown key "shutdwon" in the child spec; did you mean "shutdown"? ...
 */
export class UnknownChildSpecKeyError extends SupervisorSpecError {
  readonly code = 'unknown_child_spec_key' as const;
  constructor(
    readonly childId: string,
    readonly key: string,
    /** The closest known key, if one is close. */
    readonly suggestion: string | undefined,
    known: readonly string[],
  ) {
    super(
      `child ${JSON.stringify(childId)}: unknown key ${JSON.stringify(key)} in the child spec; ` +
        (suggestion === undefined ? '' : `did you mean ${JSON.stringify(suggestion)}? `) +
        `a child spec takes only ${known.join(', ')}`,
    );
  }
}

/** A child spec's `startTimeout` is not an integer of milliseconds from 1 to 2^31-1, or Infinity. */
export class InvalidStartTimeoutError extends SupervisorSpecError {
  readonly code = 'invalid_start_timeout' as const;
  constructor(readonly childId: string, readonly value: unknown) {
    super(`child ${JSON.stringify(childId)}: startTimeout must be ${timeoutExpected(START_TIMEOUT_RULE)}, got: ${describe(value)}`);
  }
}

/** Two child specs of one supervisor share an id. */
export class DuplicateChildIdError extends SupervisorSpecError {
  readonly code = 'duplicate_child_name' as const;
  constructor(readonly childId: string) {
    super(`child id ${JSON.stringify(childId)} is used twice in one supervisor; give each child spec its own id`);
  }
}

/**
 * `significant: true` on a permanent child, or under `autoShutdown: 'never'`: a child that
 * can never count (OTP's `bad_combination`).
 */
export class BadSignificantError extends SupervisorSpecError {
  readonly code = 'bad_combination' as const;
  constructor(readonly childId: string, why: 'permanent' | 'never') {
    super(
      why === 'permanent'
        ? `child ${JSON.stringify(childId)}: a significant child must be transient or temporary (a permanent one is always restarted, so it never counts)`
        : `child ${JSON.stringify(childId)} is significant but the supervisor's autoShutdown is 'never'; set autoShutdown to 'any_significant' or 'all_significant', or drop significant`,
    );
  }
}

/**
 * A child failed to start while its supervisor started; the children started before it
 * were stopped in reverse order. The supervisor's start fails with this as its reason.
 *
 * @example
 * catch (e) { if (e instanceof InitError && e.reason instanceof FailedToStartChildError) console.log(e.reason.childId) }
 */
export class FailedToStartChildError extends ArborError {
  readonly code = 'failed_to_start_child' as const;
  constructor(readonly childId: string, readonly reason: unknown) {
    super(`child ${JSON.stringify(childId)} failed to start: ${formatReason(reason)}`, { cause: reason instanceof Error ? reason : undefined });
  }
}

/** A dynamic supervisor already has `maxChildren` children (running or restarting). */
export class MaxChildrenError extends ArborError {
  readonly code = 'max_children' as const;
  constructor(readonly maxChildren: number) {
    super(`the dynamic supervisor already has its maxChildren (${maxChildren}) children; stop one first or raise maxChildren`);
  }
}

/**
 * A child's start (its start function, or its `init`) did not settle within the spec's
 * `startTimeout`: the start fails with this reason, as any failed start (the supervisor's
 * own start fails, or the restart is retried). If the child arrives later, it is killed.
 *
 * @example
 * catch (e) { if (e instanceof InitError && e.reason.reason instanceof ChildStartTimeoutError) console.log(e.reason.reason.timeout) }
 */
export class ChildStartTimeoutError extends ArborError {
  readonly code = 'child_start_timeout' as const;
  constructor(readonly childId: string, readonly timeout: number) {
    super(`child ${JSON.stringify(childId || '(dynamic)')} did not start within its startTimeout of ${timeout} ms; make its start settle sooner or raise startTimeout`);
  }
}
