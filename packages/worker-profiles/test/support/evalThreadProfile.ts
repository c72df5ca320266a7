/**
 * A minimal thread profile for the worker-actor tests, until helper A's threadProfile is
 * merged: a real worker_threads Worker (eval: true) that speaks the frame protocol over a
 * MessageChannel and implements WorkerConn honestly (exactly-once onExit, kill, stop).
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { ChildFrame, KillCause, ParentFrame, WorkerConn, WorkerExit, WorkerProfile } from '../../src/index.js';
import { isBatch, Outbox, WorkerStartError } from '../../src/index.js';

const RUNTIME = String.raw`
const { workerData } = require('node:worker_threads');
const v8 = require('node:v8');
const port = workerData.__arbor.port;
const handlers = (0, eval)('(' + workerData.handlers + ')');
globalThis.__arborState = { ignorePings: false };
let out = [];
let scheduled = false;
const flush = () => {
  scheduled = false;
  if (out.length === 0) return;
  const hasReply = out.some((f) => f.t === 'res' || f.t === 'err');
  if (hasReply) out.push({ t: 'stats', h: v8.getHeapStatistics().used_heap_size });
  const msg = out.length === 1 ? out[0] : out;
  out = [];
  port.postMessage(msg);
};
const push = (f) => { out.push(f); if (!scheduled) { scheduled = true; setImmediate(flush); } };
const running = new Map();
const run = (f) => {
  const h = handlers[f.m];
  if (typeof h !== 'function') return push({ t: 'err', id: f.id, e: { name: 'Error', message: 'no method ' + f.m, code: 'unknown_method' } });
  const ac = new AbortController();
  running.set(f.id, ac);
  Promise.resolve().then(() => h(f.a, { signal: ac.signal, id: f.id })).then(
    (v) => { running.delete(f.id); if (ac.signal.aborted) push({ t: 'err', id: f.id, e: { name: 'AbortError', message: 'cancelled', code: 'cancelled' } }); else push({ t: 'res', id: f.id, v }); },
    (e) => { running.delete(f.id); push({ t: 'err', id: f.id, e: ac.signal.aborted ? { name: 'AbortError', message: 'cancelled', code: 'cancelled' } : { name: e?.name ?? 'Error', message: String(e?.message ?? e), stack: e?.stack, code: e?.code } }); },
  );
};
port.on('message', (msg) => {
  for (const f of Array.isArray(msg) ? msg : [msg]) {
    if (f.t === 'req') run(f);
    else if (f.t === 'cancel') running.get(f.id)?.abort(new Error('cancelled'));
    else if (f.t === 'ping' && !globalThis.__arborState.ignorePings) push({ t: 'pong', id: f.id, h: v8.getHeapStatistics().used_heap_size });
  }
});
port.on('close', () => process.exit(0));
port.postMessage({ t: 'ready', methods: Object.keys(handlers), meta: { eval: true } });
`;

class EvalThreadConn implements WorkerConn {
  readonly kind = 'thread';
  readonly meta: Readonly<Record<string, unknown>>;
  readonly threadId: number;
  methods: readonly string[] = [];
  readonly #worker: Worker;
  readonly #port: import('node:worker_threads').MessagePort;
  readonly #outbox: Outbox<ParentFrame>;
  #frameReceiver: ((f: ChildFrame) => void) | undefined;
  #exitReceiver: ((e: WorkerExit) => void) | undefined;
  #exit: WorkerExit | undefined;
  #killCause: KillCause | undefined;
  #stopping = false;
  #error: Error | undefined;
  readonly exited: Promise<WorkerExit>;

  constructor(readonly workerId: string, handlersSource: string, onReady: (conn: EvalThreadConn) => void, onEarlyExit: (e: WorkerExit) => void) {
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.#worker = new Worker(RUNTIME, { eval: true, workerData: { __arbor: { port: port2 }, handlers: handlersSource }, transferList: [port2], stdout: false });
    this.threadId = this.#worker.threadId;
    this.meta = { threadId: this.threadId };
    this.#outbox = new Outbox<ParentFrame>((m, t) => port1.postMessage(m, t ?? []));
    let ready = false;
    port1.on('message', (msg: ChildFrame | ChildFrame[]) => {
      if (this.#exit !== undefined) return;
      for (const f of isBatch(msg) ? msg : [msg]) {
        if (!ready && f.t === 'ready') {
          ready = true;
          this.methods = f.methods ?? [];
          onReady(this);
          continue;
        }
        this.#frameReceiver?.(f);
      }
    });
    this.#worker.on('error', (e) => (this.#error = e));
    this.exited = new Promise((resolve) => {
      this.#worker.on('exit', (code) => {
        const base = { workerId, kind: 'thread', threadId: this.threadId, at: Date.now() };
        let exit: WorkerExit;
        if (!ready) exit = { ...base, reason: 'startup_failed', detail: this.#error?.message ?? `exited with code ${code} before READY` };
        else if (this.#killCause !== undefined) exit = { ...base, reason: 'killed', signal: 'SIGKILL', by: 'arbor', cause: this.#killCause };
        else if (this.#error !== undefined) exit = { ...base, reason: 'crash', error: { name: this.#error.name, message: this.#error.message } };
        else if (this.#stopping || code === 0) exit = { ...base, reason: 'normal' };
        else exit = { ...base, reason: 'exit', code };
        this.#exit = exit;
        this.#outbox.close();
        port1.close();
        if (!ready) onEarlyExit(exit);
        const r = this.#exitReceiver;
        this.#exitReceiver = undefined;
        r?.(exit);
        resolve(exit);
      });
    });
  }

  /** Test hook: terminate() from outside Arbor (not a kill Arbor sent). */
  terminateExternally(): void {
    void this.#worker.terminate();
  }

  send(frame: ParentFrame): void {
    this.#outbox.push(frame);
  }

  onFrame(receiver: (frame: ChildFrame) => void): void {
    this.#frameReceiver = receiver;
  }

  onExit(receiver: (exit: WorkerExit) => void): void {
    if (this.#exit !== undefined) {
      const e = this.#exit;
      queueMicrotask(() => receiver(e));
    } else this.#exitReceiver = receiver;
  }

  async stop(graceMs: number): Promise<WorkerExit> {
    if (this.#exit !== undefined) return this.#exit;
    this.#stopping = true;
    this.#outbox.flush();
    this.#port.close();
    const t = setTimeout(() => {
      this.#killCause ??= 'stop_timeout';
      void this.#worker.terminate();
    }, graceMs);
    const e = await this.exited;
    clearTimeout(t);
    return e;
  }

  kill(cause: KillCause): void {
    if (this.#exit !== undefined || this.#killCause !== undefined) return;
    this.#killCause = cause;
    void this.#worker.terminate();
  }
}

/** Every conn the test profile made, for /proc-free leak checks (threads) and external kills. */
export const startedConns: EvalThreadConn[] = [];

/**
 * A thread profile whose worker serves `handlersSource` (a JS object literal of handlers).
 *
 * @example
 * const profile = evalThreadProfile<{ add(x: number): number }>('{ add: (x) => x + 1 }', 4);
 */
export function evalThreadProfile<H>(handlersSource: string, capacity = 1): WorkerProfile<H> {
  return {
    kind: 'thread',
    capacity,
    isProcess: false,
    start: (ctx) =>
      new Promise<WorkerConn>((resolve, reject) => {
        let conn: EvalThreadConn | undefined = undefined;
        const timer = setTimeout(() => {
          conn?.kill('start_timeout');
          reject(new WorkerStartError({ workerId: ctx.workerId, kind: 'thread', at: Date.now(), reason: 'startup_failed', detail: `no READY within ${ctx.readyTimeoutMs} ms` }));
        }, ctx.readyTimeoutMs);
        conn = new EvalThreadConn(
          ctx.workerId,
          handlersSource,
          (c) => {
            clearTimeout(timer);
            startedConns.push(c);
            resolve(c);
          },
          (exit) => {
            clearTimeout(timer);
            reject(new WorkerStartError(exit as WorkerExit & { reason: 'startup_failed' }));
          },
        );
      }),
  };
}

/** Waits (bounded poll) until `cond()` holds. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** True once every thread the profile started has exited. */
export async function allThreadsGone(): Promise<boolean> {
  const exits = await Promise.race([Promise.all(startedConns.map((c) => c.exited)).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
  return exits;
}
