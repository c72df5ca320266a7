import type { MessagePort, TransferListItem, Worker } from 'node:worker_threads';
// Node's setTimeout limit (core's timeout rule): longer waits (and Infinity) mean no timer.
import { MAX_TIMER_MS } from '@arbor/core';
import type { ChildFrame, ParentFrame, ReadyFrame, WireError } from '../contract/frames.js';
import type { WorkerConn } from '../contract/WorkerProfile.js';
import type { KillCause, WorkerExit } from '../contract/WorkerExit.js';
import { WorkerStartError } from '../errors/errors.js';
import { Outbox } from '../transport/Outbox.js';
import { packFrames, unpackFrames } from '../transport/threadWire.js';
import { toWireError, unsendableReply } from '../transport/wireError.js';

/** The error code Node gives a thread that hit its `resourceLimits`. */
export const THREAD_OOM_CODE = 'ERR_WORKER_OUT_OF_MEMORY';

type Startup = { readonly resolve: (conn: WorkerConn) => void; readonly reject: (error: WorkerStartError) => void; readonly timeoutMs: number };

/**
 * The {@link WorkerConn} of one worker thread: frames over the worker's own MessageChannel
 * (batched by an {@link Outbox}, transfer lists passed on), and its end classified exactly
 * once from Node's `error` and `exit` events. It exists from `new Worker` on: until READY it
 * is the start (see {@link ThreadConn.startup}), then the live connection.
 * @internal
 *
 * @example
 * const conn = await new ThreadConn(workerId, worker, port1, meta).startup(10_000);
 */
export class ThreadConn implements WorkerConn {
  readonly kind = 'thread';
  readonly workerId: string;
  readonly threadId: number;
  methods?: readonly string[];
  meta: Readonly<Record<string, unknown>>;
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #outbox: Outbox<ParentFrame>;
  #receiver: ((frame: ChildFrame) => void) | undefined = undefined;
  /** Frames that came after READY but before `onFrame` set the receiver. */
  #early: ChildFrame[] | undefined = undefined;
  #startup: Startup | undefined = undefined;
  #startTimer: NodeJS.Timeout | undefined = undefined;
  #startFailure: string | undefined = undefined;
  #ready = false;
  #error: unknown = undefined;
  #killCause: KillCause | undefined = undefined;
  #stopTimer: NodeJS.Timeout | undefined = undefined;
  #exit: WorkerExit | undefined = undefined;
  #exitReceiver: ((exit: WorkerExit) => void) | undefined = undefined;
  #exited: Promise<WorkerExit> | undefined = undefined;
  #resolveExited: ((exit: WorkerExit) => void) | undefined = undefined;

  constructor(workerId: string, worker: Worker, port: MessagePort, meta: Readonly<Record<string, unknown>>) {
    this.workerId = workerId;
    this.threadId = worker.threadId;
    this.meta = meta;
    this.#worker = worker;
    this.#port = port;
    // postMessage throws only for what it cannot clone (a closed port drops silently): that request alone fails
    this.#outbox = new Outbox<ParentFrame>((message, transfer) => port.postMessage(packFrames(message), transfer), { onUnsendable: (frame, error) => this.#refuse(frame, error) });
    port.on('message', this.#onStartMessage);
    worker.on('error', (error: unknown) => {
      this.#error ??= error; // the 'exit' that follows classifies it
    });
    worker.once('exit', (code: number) => this.#onExit(code));
  }

  /** Resolves with this connection at the worker's READY frame; rejects with WorkerStartError once the thread is gone. */
  startup(timeoutMs: number): Promise<WorkerConn> {
    return new Promise<WorkerConn>((resolve, reject) => {
      this.#startup = { resolve, reject, timeoutMs };
      if (timeoutMs < MAX_TIMER_MS) this.#startTimer = setTimeout(() => this.kill('start_timeout'), timeoutMs);
    });
  }

  send(frame: ParentFrame, transfer?: readonly TransferListItem[]): void {
    this.#outbox.push(frame, transfer);
  }

  onFrame(receiver: (frame: ChildFrame) => void): void {
    this.#receiver = receiver;
    const early = this.#early;
    if (early === undefined) return;
    this.#early = undefined;
    queueMicrotask(() => {
      if (this.#exit === undefined) for (const frame of early) receiver(frame);
    });
  }

  onExit(receiver: (exit: WorkerExit) => void): void {
    const exit = this.#exit;
    if (exit === undefined) this.#exitReceiver = receiver;
    else queueMicrotask(() => receiver(exit));
  }

  stop(graceMs: number): Promise<WorkerExit> {
    if (this.#exit !== undefined) return Promise.resolve(this.#exit);
    if (this.#stopTimer === undefined && this.#killCause === undefined) {
      this.#outbox.flush();
      this.#port.close(); // the runtime sees 'close' and exits 0
      this.#stopTimer = setTimeout(() => this.kill('stop_timeout'), Math.min(Math.max(0, graceMs), MAX_TIMER_MS));
    }
    return this.#whenExited();
  }

  kill(cause: KillCause): void {
    if (this.#exit !== undefined || this.#killCause !== undefined) return;
    this.#killCause = cause;
    this.#outbox.close();
    this.#worker.terminate().catch(() => undefined); // the 'exit' event reports it
  }

  /** Answers a request that could not be sent with an `err` frame, as if the worker had (after this flush). */
  #refuse(frame: ParentFrame, error: unknown): void {
    const reply = unsendableReply(frame, error);
    if (reply === undefined) return;
    queueMicrotask(() => {
      if (this.#exit === undefined) this.#receiver?.(reply);
    });
  }

  #whenExited(): Promise<WorkerExit> {
    return (this.#exited ??= new Promise<WorkerExit>((resolve) => (this.#resolveExited = resolve)));
  }

  /** The port's listener until READY: the first frame must be READY. */
  readonly #onStartMessage = (message: unknown): void => {
    if (this.#ready || this.#exit !== undefined) return;
    const frames: ChildFrame[] = [];
    unpackFrames<ChildFrame>(message, (f) => frames.push(f));
    const first = frames[0] as ChildFrame | undefined;
    if (first?.t !== 'ready') {
      this.#startFailure = `it sent ${JSON.stringify(first?.t)} before READY (is the module served by serveWorker from @arbor/worker-profiles/worker?)`;
      this.kill('start_timeout');
      return;
    }
    this.#onReady(first);
    if (frames.length > 1) this.#early = frames.slice(1);
    this.#port.off('message', this.#onStartMessage);
    this.#port.on('message', this.#onMessage);
    const startup = this.#startup!;
    this.#startup = undefined;
    startup.resolve(this);
  };

  #onReady(ready: ReadyFrame): void {
    this.#ready = true;
    clearTimeout(this.#startTimer);
    if (ready.methods !== undefined) this.methods = ready.methods;
    this.meta = { ...this.meta, ...ready.meta };
  }

  /** The hot path: one wire message (packed, see threadWire.ts), one frame or a batch, to the receiver. */
  readonly #onMessage = (message: unknown): void => {
    const receiver = this.#receiver;
    if (receiver === undefined) {
      const early = (this.#early ??= []);
      unpackFrames<ChildFrame>(message, (f) => early.push(f));
      return;
    }
    unpackFrames(message, receiver);
  };

  #onExit(code: number): void {
    clearTimeout(this.#startTimer);
    clearTimeout(this.#stopTimer);
    this.#outbox.close();
    this.#port.off('message', this.#onMessage);
    this.#port.off('message', this.#onStartMessage);
    this.#port.close();
    const exit = this.#classify(code);
    this.#exit = exit;
    this.#resolveExited?.(exit);
    const startup = this.#startup;
    if (startup !== undefined) {
      this.#startup = undefined;
      startup.reject(new WorkerStartError(exit as WorkerExit & { reason: 'startup_failed' }, this.#error));
    }
    const receiver = this.#exitReceiver;
    this.#exitReceiver = undefined;
    receiver?.(exit);
  }

  #classify(code: number): WorkerExit {
    const base = { workerId: this.workerId, kind: this.kind, threadId: this.threadId, at: Date.now() };
    const error: WireError | undefined = this.#error === undefined ? undefined : toWireError(this.#error);
    if (!this.#ready) {
      const detail =
        this.#startFailure ??
        (error !== undefined
          ? `${error.name}: ${error.message}`
          : this.#killCause === 'start_timeout'
            ? `start_timeout: no READY frame within ${this.#startup?.timeoutMs} ms`
            : this.#killCause !== undefined
              ? `Arbor ended it before READY (${this.#killCause})`
              : `it exited with code ${code} before READY`);
      return error !== undefined ? { ...base, reason: 'startup_failed', detail, error } : { ...base, reason: 'startup_failed', detail };
    }
    if (error !== undefined) return error.code === THREAD_OOM_CODE ? { ...base, reason: 'oom', error } : { ...base, reason: 'crash', error };
    if (this.#killCause !== undefined) return { ...base, reason: 'killed', signal: 'terminate', by: 'arbor', cause: this.#killCause };
    if (code === 0) return { ...base, reason: 'normal' };
    return { ...base, reason: 'exit', code };
  }
}
