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

/**
 * One request's record: the only allocation besides its promise on the hot path. @internal
 *
 * @example
 * const rec = new PendingRequest('add', 1, undefined, resolve, reject, Infinity, Infinity, undefined);
 */
export class PendingRequest {
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
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: unknown) => void,
    readonly deadline: number,
    readonly timeoutMs: number,
    readonly signal: AbortSignal | undefined,
  ) {}

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
