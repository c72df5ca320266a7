import { ArborError, describe, hideRefs, refLabel } from './ArborError.js';
import type { ActorRef } from '../kernel/index.js';
import { formatReason } from '../exit/ExitReason.js';

/**
 * The target actor is not alive (it never existed, or it has exited).
 *
 * @example
 * await call(deadRef, { type: 'get' }) // rejects with NoProcError
 */
export class NoProcError extends ArborError {
  readonly code = 'noproc' as const;
  constructor(readonly actor: ActorRef | string, operation: string) {
    super(`${operation}: no actor is alive at ${typeof actor === 'string' ? actor : refLabel(actor)}; check it with isAlive(ref) or monitor it`);
    hideRefs(this, 'actor');
  }
}

/**
 * A call got no reply within its timeout. A reply that arrives later is dropped.
 *
 * @example
 * await call(ref, { type: 'slow' }, { timeout: 100 }) // rejects with CallTimeoutError
 */
export class CallTimeoutError extends ArborError {
  readonly code = 'timeout' as const;
  constructor(readonly actor: ActorRef, readonly timeout: number) {
    super(`call to ${refLabel(actor)} got no reply within ${timeout} ms; raise { timeout } or reply sooner from handleCall`);
    hideRefs(this, 'actor');
  }
}

/**
 * The called actor exited before it replied; `reason` is its exit reason.
 *
 * @example
 * catch (e) { if (e instanceof CallExitError) console.log(e.reason) }
 */
export class CallExitError extends ArborError {
  readonly code = 'exit' as const;
  constructor(readonly actor: ActorRef, readonly reason: unknown) {
    super(`actor ${refLabel(actor)} exited with ${formatReason(reason)} before it replied`, {
      cause: reason instanceof Error ? reason : undefined,
    });
    hideRefs(this, 'actor');
  }
}

/**
 * An actor called itself, which can never be answered.
 *
 * @example
 * this.call(this.self, { type: 'get' }) // rejects with CallSelfError
 */
export class CallSelfError extends ArborError {
  readonly code = 'calling_self' as const;
  constructor(readonly actor: ActorRef) {
    super(`actor ${refLabel(actor)} called itself; read this.state directly, or cast to yourself instead`);
    hideRefs(this, 'actor');
  }
}

/**
 * A bounded mailbox with the `reject` overflow policy was full.
 *
 * @example
 * spawn(Worker, undefined, { mailbox: { capacity: 10, overflow: 'reject' } })
 */
export class MailboxFullError extends ArborError {
  readonly code = 'mailbox_full' as const;
  constructor(readonly actor: ActorRef, readonly capacity: number) {
    super(`mailbox of ${refLabel(actor)} is full (capacity ${capacity}); slow the sender down, or choose overflow 'drop_oldest' or 'drop_newest'`);
    hideRefs(this, 'actor');
  }
}

/**
 * A call was dropped by a bounded mailbox (`drop_newest` or `drop_oldest`), so it will never be answered.
 */
export class MessageDroppedError extends ArborError {
  readonly code = 'dropped' as const;
  constructor(readonly actor: ActorRef, readonly policy: 'drop_newest' | 'drop_oldest') {
    super(`call to ${refLabel(actor)} was dropped by its bounded mailbox (overflow '${policy}'); raise the capacity or use overflow 'reject'`);
    hideRefs(this, 'actor');
  }
}

/**
 * What was passed as a behaviour is not one.
 *
 * @example
 * spawn({} as any, 0) // rejects: expected a class that extends GenServer
 */
export class InvalidBehaviourError extends ArborError {
  readonly code = 'invalid_behaviour' as const;
  constructor(detail: string) {
    super(detail);
  }
}

/**
 * An option or argument has a wrong value; the message names the option path.
 *
 * @example
 * call(ref, req, { timeout: -1 }) // options.timeout must be a number of milliseconds from 0 to 2147483647, or Infinity to wait forever, got: -1 (number)
 */
export class InvalidOptionError extends ArborError {
  readonly code = 'invalid_option' as const;
  constructor(readonly option: string, expected: string, readonly value: unknown) {
    super(`${option} must be ${expected}, got: ${describe(value)}`);
  }
}

/**
 * A local name is already registered to another live actor.
 *
 * @example
 * register('counter', b) // NameTakenError: 'counter' is held by <id>
 */
export class NameTakenError extends ArborError {
  readonly code = 'already_registered' as const;
  constructor(readonly actorName: string, readonly holder: ActorRef) {
    super(`name ${JSON.stringify(actorName)} is already registered to ${refLabel(holder)}; unregister it first or pick another name`);
    hideRefs(this, 'holder');
  }
}

/**
 * `spawn` was asked to register a name that a live actor holds (OTP's `already_started`).
 */
export class AlreadyStartedError extends ArborError {
  readonly code = 'already_started' as const;
  constructor(readonly actorName: string, readonly existing: ActorRef) {
    super(`an actor named ${JSON.stringify(actorName)} is already running as ${refLabel(existing)}; use whereis(name) to reach it`);
    hideRefs(this, 'existing');
  }
}

/**
 * An actor already has a local name, and an actor holds one name at most.
 */
export class AlreadyNamedError extends ArborError {
  readonly code = 'already_named' as const;
  constructor(readonly actor: ActorRef, readonly currentName: string) {
    super(`actor ${refLabel(actor)} is already registered as ${JSON.stringify(currentName)}; unregister that name first`);
    hideRefs(this, 'actor');
  }
}

/**
 * `init` threw, rejected or called `this.stop(reason)`: the actor did not start.
 *
 * @example
 * catch (e) { if (e instanceof InitError) console.log(e.reason) }
 */
export class InitError extends ArborError {
  readonly code = 'init_failed' as const;
  constructor(readonly behaviour: string, readonly reason: unknown) {
    super(`${behaviour}.init failed: ${formatReason(reason)}`, { cause: reason instanceof Error ? reason : undefined });
  }
}

/**
 * `init` returned `ignore`: the actor chose not to start (OTP's `ignore`).
 */
export class InitIgnoredError extends ArborError {
  readonly code = 'ignore' as const;
  constructor(readonly behaviour: string) {
    super(`${behaviour}.init returned ignore, so no actor was started; use system.start() to get ignore as a value`);
  }
}

/**
 * A message reached a handler the behaviour does not define.
 */
export class UnhandledMessageError extends ArborError {
  readonly code = 'unhandled_message' as const;
  constructor(
    readonly behaviour: string,
    readonly kind: 'call' | 'cast' | 'continue',
    readonly msg: unknown,
    /** The method that should handle it (default `handleCall`, `handleCast`, `handleContinue`). */
    handler = `handle${kind[0]!.toUpperCase()}${kind.slice(1)}`,
  ) {
    super(`${behaviour} received a ${kind} but does not define ${handler}; add the handler`);
  }
}

/**
 * The actor system was shut down, so it cannot spawn.
 */
export class SystemStoppedError extends ArborError {
  readonly code = 'system_stopped' as const;
  constructor(readonly systemName: string) {
    super(`actor system ${JSON.stringify(systemName)} has been shut down; create a new one with createSystem()`);
  }
}
