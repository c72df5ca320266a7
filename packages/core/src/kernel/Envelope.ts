
import type { Cell } from './Cell.js';
import { rejectWithCallerFrames } from './callerFrames.js';

/** Envelope kinds. Casts travel unwrapped; everything else is wrapped. @internal */
export const CALL = 1;
export const INFO = 2;
/** EXIT and DOWN: delivered by the runtime, never dropped by a bounded mailbox. */
export const SIGNAL = 3;
/**
 * A system request (`msg` is its {@link SysRequest}) queued in mailbox order with the
 * other messages, as OTP's `{system, From, Req}`; never dropped by a bounded mailbox.
 */
export const SYS = 4;

/** A wrapped mailbox entry. @internal */
export class Envelope {
  constructor(
    readonly kind: number,
    readonly msg: unknown,
  ) {}
}

/**
 * One call in flight: the request, the caller's promise, and its deadline.
 * Handed to `handleCall` as the opaque `from`. @internal
 */
export class PendingCall extends Envelope {
  resolve!: (value: unknown) => void;
  settled = false;
  /** Exact deadline (ms), or coarse epoch, depending on the timeout (see CallDeadlines). */
  deadline = 0;
  /** The deadline bucket tracking this call, or null when settled or untimed. */
  bucket: { readonly owner: { release(pc: PendingCall): void } } | null = null;

  constructor(
    request: unknown,
    readonly target: Cell,
    readonly timeout: number,
  ) {
    super(CALL, request);
  }

  ok(value: unknown): void {
    if (this.settled) return;
    this.settled = true;
    if (this.bucket !== null) this.bucket.owner.release(this);
    this.resolve(value);
  }

  fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    if (this.bucket !== null) this.bucket.owner.release(this);
    // The error comes from Arbor's frames (a timer, the callee's exit): let it name the caller.
    rejectWithCallerFrames(this.resolve, error);
  }
}

/**
 * A system request (sys). The public ones (getState, replaceState, suspend, resume, stop)
 * are queued in mailbox order as `SYS` envelopes; while the actor is suspended they are
 * still served, out of the mailbox, and ordinary messages wait. @internal
 */
export interface SysRequest {
  readonly op: 'get_state' | 'replace_state' | 'suspend' | 'resume' | 'stop';
  readonly arg: unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Does nothing: the answer slot of a system request nobody awaits. @internal */
export function noop(): void {}

/** True for a promise or any object with a `then` method. @internal */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** True for a queued system request. @internal */
export function isSysEntry(entry: unknown): boolean {
  return entry instanceof Envelope && entry.kind === SYS;
}
