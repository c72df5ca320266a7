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

/** What only some requests have (a timeout, a signal, a transfer list, a cancel grace): made on first use. */
class RequestExtras {
  onAbort: (() => void) | undefined = undefined;
  graceTimer: NodeJS.Timeout | undefined = undefined;
  timeoutMs: number | undefined = undefined;
  deadline: number | undefined = undefined;
  signal: AbortSignal | undefined = undefined;
  transfer: readonly TransferListItem[] | undefined = undefined;
}

/**
 * One request's record and its promise (made with a shared executor, so no closure per
 * request, and only its resolve function kept; timeout, signal and transfer fields apart):
 * the only allocations besides its frame on the hot path. The caller settles it once,
 * through `resolve` or `reject`, after `finish`. @internal
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
  /** The rarely set fields, apart, so a plain request stays small while it waits. */
  #x: RequestExtras | undefined = undefined;

  constructor(
    readonly method: string,
    public arg: unknown,
    transfer: readonly TransferListItem[] | undefined,
    signal: AbortSignal | undefined,
  ) {
    this.promise = new Promise<unknown>(capture);
    this.resolve = captured!;
    captured = undefined;
    if (transfer !== undefined) this.#extras().transfer = transfer;
    if (signal !== undefined) this.#extras().signal = signal;
  }

  #extras(): RequestExtras {
    return (this.#x ??= new RequestExtras());
  }

  /** The transfer list sent with the argument (threads). */
  get transfer(): readonly TransferListItem[] | undefined {
    return this.#x?.transfer;
  }
  set transfer(value: readonly TransferListItem[] | undefined) {
    if (this.#x !== undefined) this.#x.transfer = value;
    else if (value !== undefined) this.#extras().transfer = value;
  }

  /** The caller's AbortSignal, if any. */
  get signal(): AbortSignal | undefined {
    return this.#x?.signal;
  }

  /** Its listener on `signal`. */
  get onAbort(): (() => void) | undefined {
    return this.#x?.onAbort;
  }
  set onAbort(value: (() => void) | undefined) {
    this.#extras().onAbort = value;
  }

  /** The cancel-grace timer of a cancelled request still running in the worker. */
  get graceTimer(): NodeJS.Timeout | undefined {
    return this.#x?.graceTimer;
  }
  set graceTimer(value: NodeJS.Timeout | undefined) {
    if (this.#x !== undefined) this.#x.graceTimer = value;
    else if (value !== undefined) this.#extras().graceTimer = value;
  }

  /** Set only for a request with a finite timeout. */
  get timeoutMs(): number | undefined {
    return this.#x?.timeoutMs;
  }
  set timeoutMs(value: number | undefined) {
    this.#extras().timeoutMs = value;
  }

  /** `Date.now()` past which it times out; set with `timeoutMs`. */
  get deadline(): number | undefined {
    return this.#x?.deadline;
  }
  set deadline(value: number | undefined) {
    this.#extras().deadline = value;
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
    const x = this.#x;
    if (x === undefined) return;
    x.transfer = undefined;
    if (x.onAbort !== undefined) {
      x.signal!.removeEventListener('abort', x.onAbort);
      x.onAbort = undefined;
    }
  }
}
