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

let capturedResolve: ((value: unknown) => void) | undefined;
let capturedReject: ((error: unknown) => void) | undefined;
/** One executor for every request's promise (no closure per request): it hands over the settle functions. */
function capture(resolve: (value: unknown) => void, reject: (error: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/**
 * One request's record and its promise (made with a shared executor, so no closure per
 * request): the only allocations besides its frame on the hot path. The caller settles it
 * once, through `resolve` or `reject`, after `finish`. @internal
 *
 * @example
 * const rec = new PendingRequest('add', 1, undefined, Infinity, Infinity, undefined);
 * rec.finish(RequestState.Done); rec.resolve(2); await rec.promise; // 2
 */
export class PendingRequest {
  readonly promise: Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  state: RequestState = RequestState.Queued;
  /** Its id on the connection it was sent on (0 while queued). */
  id = 0;
  /** The connection slot it was sent on. */
  slot: object | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;
  graceTimer: NodeJS.Timeout | undefined = undefined;

  constructor(
    readonly method: string,
    public arg: unknown,
    public transfer: readonly TransferListItem[] | undefined,
    readonly deadline: number,
    readonly timeoutMs: number,
    readonly signal: AbortSignal | undefined,
  ) {
    this.promise = new Promise<unknown>(capture);
    this.resolve = capturedResolve!;
    this.reject = capturedReject!;
    capturedResolve = capturedReject = undefined;
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
