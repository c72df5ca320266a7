import type { TransferListItem } from 'node:worker_threads';

/**
 * Where a request is in its life. @internal
 *
 * @example
 * if (rec.state === RequestState.InFlight) slot.conn.send({ t: 'cancel', id: rec.id });
 */
export enum RequestState {
  /** In the parent-side queue. */
  Queued = 0,
  /** Sent to the worker, not answered. */
  InFlight = 1,
  /** Settled by a timeout or abort while in flight: its slot is held until the worker answers its id. */
  Cancelling = 2,
  /** Settled and out of every table. */
  Done = 3,
}

let captured: ((value: unknown) => void) | undefined;
/** One executor for every request's promise (no closure per request): it hands over `resolve` (reject goes through it too). */
function capture(resolve: (value: unknown) => void): void {
  captured = resolve;
}

/**
 * One request's record and its promise (made with a shared executor, so no closure per
 * request, and only its resolve function kept): the only allocations besides its frame on the hot path. The caller settles it
 * once, through `resolve` or `reject`, after `finish`. @internal
 *
 * @example
 * const rec = new PendingRequest('add', 1, undefined, undefined);
 * rec.finish(RequestState.Done); rec.resolve(2); await rec.promise; // 2
 */
export class PendingRequest {
  readonly promise: Promise<unknown>;
  /** Fulfils the promise (a worker's value is plain data, never a thenable). */
  readonly resolve: (value: unknown) => void;
  state: RequestState = RequestState.Queued;
  /** Its id on the connection it was sent on (0 while queued). */
  id = 0;
  /** The connection slot it was sent on. */
  slot: object | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;
  graceTimer: NodeJS.Timeout | undefined = undefined;
  /** Set only for a request with a finite timeout (undefined otherwise, so no number is boxed per request). */
  timeoutMs: number | undefined = undefined;
  /** `Date.now()` past which it times out; set with `timeoutMs`. */
  deadline: number | undefined = undefined;

  constructor(
    readonly method: string,
    public arg: unknown,
    public transfer: readonly TransferListItem[] | undefined,
    readonly signal: AbortSignal | undefined,
  ) {
    this.promise = new Promise<unknown>(capture);
    this.resolve = captured!;
    captured = undefined;
  }

  /**
   * Rejects the promise with `error`: resolved with a rejected promise, so only `resolve` is
   * kept per request (the reject function would cost ~70 bytes for each request in flight).
   */
  reject(error: unknown): void {
    this.resolve(Promise.reject(error));
  }

  /** Marks it settled (the caller resolves or rejects it) and drops its abort listener. */
  finish(state: RequestState.Cancelling | RequestState.Done): void {
    this.state = state;
    this.arg = undefined;
    this.transfer = undefined;
    if (this.onAbort !== undefined) {
      this.signal!.removeEventListener('abort', this.onAbort);
      this.onAbort = undefined;
    }
  }
}
