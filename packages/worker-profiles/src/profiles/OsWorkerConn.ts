import type { ChildProcess } from 'node:child_process';
import type { TransferListItem } from 'node:worker_threads';
import type { ChildFrame, ParentFrame, ReadyFrame, WireError } from '../contract/frames.js';
import type { StartContext, WorkerConn } from '../contract/WorkerProfile.js';
import type { KillCause, WorkerExit } from '../contract/WorkerExit.js';
import { WorkerStartError } from '../errors/errors.js';
import { unsendableReply } from '../transport/wireError.js';
import { signalGroup, type OsWorkerProcess } from './osProcess.js';

/** How many bytes of the child's stderr (and stdout, for IPC children) are kept for start-failure details. */
export const OUTPUT_TAIL_BYTES = 4096;
/** After SIGTERM, how long a stopping child gets before SIGKILL to its group. */
export const TERM_GRACE_MS = 500;
/** After its channel closed (stdout EOF, IPC disconnect), how long a child gets to exit before SIGKILL. */
const CHANNEL_CLOSED_GRACE_MS = 2_000;
/** After the child's exit, how long to wait for its pipes to be read to the end before reporting. */
const STREAMS_CLOSE_MS = 1_000;

/** The transport half of an OS worker (IPC or stdio), as the connection drives it. @internal */
export interface OsTransport {
  /** Queues a frame for the next flush; never throws. */
  send(frame: ParentFrame): void;
  /** Asks the worker to leave (end stdin / disconnect IPC); idempotent, never throws. */
  close(): void;
  /** Drops whatever is queued and later sends. */
  drop(): void;
}

/** What {@link OsWorkerConn} needs to know about the child it watches. @internal */
export interface OsWorkerConnInit {
  readonly ctx: StartContext;
  readonly kind: string;
  readonly proc: OsWorkerProcess;
  /** SIGABRT means out of memory (a Node child with `--max-old-space-size`). */
  readonly oomOnAbort: boolean;
  /** Readable streams whose tail is kept for start-failure details (stderr first). */
  readonly outputs: readonly (NodeJS.ReadableStream | null | undefined)[];
  /** Builds the transport; it calls `deliver` with each decoded wire message and `channelClosed` at EOF. */
  readonly transport: (conn: OsWorkerConn) => OsTransport;
  readonly meta: Readonly<Record<string, unknown>>;
}

/**
 * One OS worker's connection: frames in and out through its transport, the exit seen once
 * from the child's `exit` (its channel closing, stdout EOF or IPC disconnect, only stops frame
 * delivery and gives the child a short while to exit), classified, the registry entry
 * released, then reported. Signals go to the process group only before the child is reaped.
 * @internal
 */
export class OsWorkerConn implements WorkerConn {
  readonly workerId: string;
  readonly kind: string;
  readonly pid: number;
  methods?: readonly string[];
  meta: Readonly<Record<string, unknown>>;

  readonly #ctx: StartContext;
  /** The spawned process (its child and registry steps). @internal */
  readonly proc: OsWorkerProcess;
  readonly #child: ChildProcess;
  readonly #oomOnAbort: boolean;
  readonly #transport: OsTransport;
  #tail = '';
  #ready = false;
  #reaped = false;
  #exit: WorkerExit | undefined;
  #frameReceiver: ((frame: ChildFrame) => void) | undefined;
  #early: ChildFrame[] | undefined;
  #exitReceiver: ((exit: WorkerExit) => void) | undefined;
  #killCause: KillCause | undefined;
  #stopping = false;
  #termSent = false;
  #protocolError: WireError | undefined;
  #timers: NodeJS.Timeout[] = [];
  #onReady: ((frame: ReadyFrame) => void) | undefined;
  #exitSeen: Promise<WorkerExit>;
  #resolveExit!: (exit: WorkerExit) => void;

  constructor(init: OsWorkerConnInit) {
    this.#ctx = init.ctx;
    this.workerId = init.ctx.workerId;
    this.kind = init.kind;
    this.proc = init.proc;
    this.pid = init.proc.pid;
    this.#child = init.proc.child;
    this.#oomOnAbort = init.oomOnAbort;
    this.meta = init.meta;
    this.#exitSeen = new Promise((resolve) => (this.#resolveExit = resolve));
    for (const stream of init.outputs) {
      if (stream === null || stream === undefined) continue;
      stream.on('data', (chunk: Buffer) => this.#keepTail(chunk));
      stream.on('error', () => undefined);
    }
    this.#child.on('error', () => undefined); // a send after disconnect, a kill of a reaped child: the exit path reports
    this.#child.once('exit', (code, signal) => this.#onChildExit(code, signal));
    this.#transport = init.transport(this);
  }

  /** The last bytes the child wrote to stderr (trimmed). */
  get outputTail(): string {
    return this.#tail.trim();
  }

  send(frame: ParentFrame, _transfer?: readonly TransferListItem[]): void {
    if (this.#exit === undefined) this.#transport.send(frame);
  }

  onFrame(receiver: (frame: ChildFrame) => void): void {
    this.#frameReceiver = receiver;
    const early = this.#early;
    this.#early = undefined;
    if (early !== undefined) for (const frame of early) receiver(frame);
  }

  onExit(receiver: (exit: WorkerExit) => void): void {
    this.#exitReceiver = receiver;
    const exit = this.#exit;
    if (exit !== undefined) queueMicrotask(() => receiver(exit));
  }

  stop(graceMs: number): Promise<WorkerExit> {
    if (this.#reaped || this.#stopping) return this.#exitSeen;
    this.#stopping = true;
    this.#transport.close();
    this.#after(graceMs, () => {
      this.#termSent = true;
      signalGroup(this.pid, 'SIGTERM');
      this.#after(TERM_GRACE_MS, () => this.kill('stop_timeout'));
    });
    return this.#exitSeen;
  }

  kill(cause: KillCause): void {
    if (this.#reaped) return;
    this.#killCause ??= cause;
    signalGroup(this.pid, 'SIGKILL');
  }

  /** Hands one wire message (a frame or a batch) from the transport to the receiver. @internal */
  deliver(message: unknown): void {
    if (this.#exit !== undefined) return;
    if (Array.isArray(message)) {
      for (const frame of message) this.#deliverFrame(frame as ChildFrame);
    } else this.#deliverFrame(message as ChildFrame);
  }

  /**
   * The transport could not serialize `frame`: a request is answered with an `err` frame
   * (code `unserializable_request`) as if the worker had, after the current flush. @internal
   */
  refuse(frame: ParentFrame, error: unknown): void {
    const reply = unsendableReply(frame, error);
    if (reply !== undefined) queueMicrotask(() => this.deliver(reply));
  }

  /** The transport's channel ended (stdout EOF, IPC disconnect): no more frames; the child should exit now. @internal */
  channelClosed(): void {
    if (this.#reaped) return;
    this.#after(CHANNEL_CLOSED_GRACE_MS, () => this.kill(this.#stopping ? 'stop_timeout' : 'shutdown'));
  }

  /** The transport broke (a framing error): the worker is killed and reported as a crash with this error. @internal */
  protocolError(error: Error): void {
    if (this.#reaped) return;
    this.#protocolError ??= { name: error.name, message: error.message };
    signalGroup(this.pid, 'SIGKILL');
  }

  /**
   * Resolves once the READY frame came and the registry recorded the worker active; rejects
   * with WorkerStartError (after the child is gone and its entry released) otherwise.
   * @internal
   */
  waitReady(): Promise<this> {
    return new Promise<this>((resolve, reject) => {
      const fail = (detail: string, cause?: unknown) => {
        this.kill('start_timeout');
        void this.#exitSeen.then(() => {
          const exit = { ...this.#base(), reason: 'startup_failed' as const, detail };
          reject(new WorkerStartError(exit, cause));
        });
      };
      const timer = setTimeout(() => fail(`sent no READY within ${this.#ctx.readyTimeoutMs} ms${this.#tailSuffix()}`), this.#ctx.readyTimeoutMs);
      this.#onReady = (frame) => {
        clearTimeout(timer);
        this.#ready = true;
        if (frame.methods !== undefined) this.methods = frame.methods;
        this.meta = { ...this.meta, ...frame.meta };
        this.proc.activate().then(
          (active) => {
            if (active && !this.#reaped) resolve(this);
            else fail('exited right after READY (the process registry could not record it active)');
          },
          (error: unknown) => fail(`the process registry could not record it active: ${error instanceof Error ? error.message : String(error)}`, error),
        );
      };
      void this.#exitSeen.then((exit) => {
        if (this.#ready) return;
        clearTimeout(timer);
        if (this.#killCause === 'start_timeout') return; // fail() rejects
        reject(new WorkerStartError({ ...this.#base(), reason: 'startup_failed', detail: `${formatEarlyExit(exit)} before READY${this.#tailSuffix()}` }));
      });
    });
  }

  #deliverFrame(frame: ChildFrame): void {
    if (!this.#ready) {
      if (frame !== null && typeof frame === 'object' && frame.t === 'ready') this.#onReady?.(frame);
      return;
    }
    const receiver = this.#frameReceiver;
    if (receiver !== undefined) receiver(frame);
    else (this.#early ??= []).push(frame);
  }

  #onChildExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.#reaped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers = [];
    const exit = this.#classify(code, signal);
    // Replies written just before the exit may still be in the pipe: read them before reporting.
    void this.#streamsClosed()
      .then(() => this.proc.release())
      .then(() => {
        this.#exit = exit;
        this.#transport.drop();
        this.#resolveExit(exit);
        if (this.#ready) this.#exitReceiver?.(exit);
      });
  }

  #classify(code: number | null, signal: NodeJS.Signals | null): WorkerExit {
    const base = this.#base();
    if (this.#protocolError !== undefined) return { ...base, reason: 'crash', error: this.#protocolError };
    if (signal === null) return code === 0 || code === null ? { ...base, reason: 'normal' } : { ...base, reason: 'exit', code };
    if (signal === 'SIGKILL') {
      const cause = this.#killCause;
      return cause !== undefined ? { ...base, reason: 'killed', signal, by: 'arbor', cause } : { ...base, reason: 'killed', signal, by: 'external' };
    }
    if (signal === 'SIGTERM' && this.#termSent) return { ...base, reason: 'killed', signal, by: 'arbor', cause: 'stop_timeout' };
    if (signal === 'SIGABRT' && this.#oomOnAbort) return { ...base, reason: 'oom', signal };
    return { ...base, reason: 'crash', signal };
  }

  #base() {
    return { workerId: this.workerId, kind: this.kind, pid: this.pid, at: Date.now() };
  }

  #after(ms: number, run: () => void): void {
    if (this.#reaped) return;
    this.#timers.push(setTimeout(run, ms));
  }

  #keepTail(chunk: Buffer): void {
    const text = this.#tail + chunk.toString('utf8');
    this.#tail = text.length > OUTPUT_TAIL_BYTES ? text.slice(text.length - OUTPUT_TAIL_BYTES) : text;
  }

  #tailSuffix(): string {
    const tail = this.outputTail;
    if (tail === '') return '';
    const lines = tail.split('\n');
    return `: ${lines[lines.length - 1]!.trim()}${lines.length > 1 ? `\n--- last output ---\n${tail}` : ''}`;
  }

  /** Waits (bounded: a grandchild may hold a pipe open) for the child's 'close': every stdio stream and IPC read to the end. */
  async #streamsClosed(): Promise<void> {
    const child = this.#child;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => (child.stdout === null && child.stderr === null && !child.connected ? resolve() : child.once('close', () => resolve()))),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, STREAMS_CLOSE_MS))),
    ]);
    clearTimeout(timer);
  }

}

function formatEarlyExit(exit: WorkerExit): string {
  switch (exit.reason) {
    case 'normal':
      return 'exited with code 0';
    case 'exit':
      return `exited with code ${exit.code}`;
    case 'killed':
      return `was killed by ${exit.signal}${exit.by === 'external' ? ' (not sent by Arbor)' : ''}`;
    case 'crash':
    case 'oom':
      return exit.signal !== undefined ? `died of ${exit.signal}` : `crashed (${exit.error?.message ?? 'unknown error'})`;
    default:
      return 'ended';
  }
}
