/**
 * The raw transports: the physical limits the worker workloads are measured against. Each
 * is one promise per task, replies matched FIFO per worker (a worker answers in order), the
 * same `x => x + 1` payload, round-robin over the workers, and no pool logic. The batched
 * variant sends every task issued in one microtask to a worker as one message (at most 256
 * per message, a batch of one unwrapped, as Arbor's Outbox does), and the echo answers each
 * message with one.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { MessageChannel, Worker } from 'node:worker_threads';
import { Ring } from '../../subjects.js';
import { trackChild } from './children.js';

/** One worker's wire: send a value or a batch, receive replies (a value or a batch). */
export interface RawEndpoint {
  send(message: number | number[]): void;
  /** Stdio only: many single-value messages in one write (the batching of pools.md's raw stdio figures). */
  sendEach?(values: readonly number[]): void;
  onReply(receiver: (message: number | number[]) => void): void;
  close(): Promise<void>;
}

/** What every contender of a worker workload is: a task runner over its workers. */
export interface TaskRunner {
  /** What it is, for warnings (`piscina`, `raw`, ...). */
  readonly label?: string;
  run(x: number): Promise<number>;
  close(): Promise<void>;
}

/** Tasks per message at most in a batched raw transport (Arbor's MAX_BATCH_FRAMES). */
export const RAW_BATCH_MAX = 256;

type Resolve = (v: number) => void;

/**
 * A FIFO-matched pool over raw endpoints: the limit. `batch` sends each microtask's tasks to a
 * worker as one message.
 *
 * @example
 * const raw = fifoPool(await threadEndpoints(moduleUrl, 2), { batch: false });
 * // batch: true sends one array per message; 'each' (stdio) one message per value, all in one write
 * await raw.run(1); // 2
 */
export function fifoPool(endpoints: readonly RawEndpoint[], { batch }: { readonly batch: boolean | 'each' }): TaskRunner {
  const waiting = endpoints.map(() => new Ring());
  const pending: number[][] = endpoints.map(() => []);
  let next = 0;
  let scheduled = false;
  endpoints.forEach((ep, i) => {
    const fifo = waiting[i]!;
    ep.onReply((m) => {
      if (Array.isArray(m)) for (let k = 0; k < m.length; k++) (fifo.shift() as Resolve)(m[k]!);
      else (fifo.shift() as Resolve)(m);
    });
  });
  const flush = (): void => {
    scheduled = false;
    for (let i = 0; i < endpoints.length; i++) {
      const p = pending[i]!;
      if (p.length === 0) continue;
      pending[i] = [];
      const ep = endpoints[i]!;
      if (batch === 'each') ep.sendEach!(p);
      else if (p.length === 1) ep.send(p[0]!);
      else if (p.length <= RAW_BATCH_MAX) ep.send(p);
      else for (let k = 0; k < p.length; k += RAW_BATCH_MAX) ep.send(p.slice(k, k + RAW_BATCH_MAX));
    }
  };
  return {
    run(x: number): Promise<number> {
      const i = next;
      next = next + 1 === endpoints.length ? 0 : next + 1;
      return new Promise<number>((resolve) => {
        waiting[i]!.push(resolve);
        if (batch) {
          pending[i]!.push(x);
          if (!scheduled) {
            scheduled = true;
            queueMicrotask(flush);
          }
        } else endpoints[i]!.send(x);
      });
    },
    close: async () => {
      await Promise.all(endpoints.map((e) => e.close()));
    },
  };
}

/**
 * `count` raw thread echoes, each on its own MessageChannel port (not `parentPort`), online and answering.
 *
 * @example
 * const raw = fifoPool(await threadEndpoints(echoUrl, 2), { batch: false });
 */
export async function threadEndpoints(module: URL, count: number): Promise<RawEndpoint[]> {
  const eps: RawEndpoint[] = [];
  for (let i = 0; i < count; i++) {
    const { port1, port2 } = new MessageChannel();
    const w = new Worker(module, { workerData: { port: port2 }, transferList: [port2] });
    const first = once(port1, 'message');
    port1.postMessage(0);
    await first;
    eps.push({
      send: (m) => port1.postMessage(m),
      onReply: (cb) => port1.on('message', cb),
      close: async () => {
        port1.close();
        await w.terminate();
      },
    });
  }
  return eps;
}

/**
 * Ends a child and waits for its exit (SIGKILL after `graceMs`).
 *
 * @example
 * await endChild(child, () => child.stdin!.end());
 */
export async function endChild(c: ChildProcess, ask: () => void, graceMs = 2_000): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = once(c, 'exit');
  ask();
  const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * `count` raw fork-IPC echoes (`serialization` json or advanced), each answering already.
 *
 * @example
 * const raw = fifoPool(await ipcEndpoints(echoUrl, 2, 'json'), { batch: false });
 */
export async function ipcEndpoints(module: URL, count: number, serialization: 'json' | 'advanced'): Promise<RawEndpoint[]> {
  const eps: RawEndpoint[] = [];
  for (let i = 0; i < count; i++) {
    const c = fork(module, [], { serialization, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    trackChild(c);
    const first = once(c, 'message');
    c.send(0);
    await first;
    eps.push({
      send: (m) => c.send(m),
      onReply: (cb) => c.on('message', cb as (m: unknown) => void),
      close: () => endChild(c, () => c.disconnect()),
    });
  }
  return eps;
}

function encode(v: unknown): Buffer {
  const json = JSON.stringify(v);
  const size = Buffer.byteLength(json);
  const out = Buffer.allocUnsafe(4 + size);
  out.writeUInt32LE(size, 0);
  out.write(json, 4, 'utf8');
  return out;
}

/**
 * One framed-stdio child: u32 LE length + JSON each way; one write per message sent.
 *
 * @example
 * const { child, endpoint } = stdioEndpoint(pythonPath(), [PYTHON_ECHO]);
 */
export function stdioEndpoint(command: string, args: readonly string[]): { child: ChildProcess; endpoint: RawEndpoint } {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  trackChild(child);
  let buf: Buffer = Buffer.alloc(0);
  let receiver: (m: number | number[]) => void = () => {};
  child.stdout!.on('data', (chunk: Buffer) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    let off = 0;
    while (buf.length - off >= 4) {
      const size = buf.readUInt32LE(off);
      if (buf.length - off - 4 < size) break;
      const v = JSON.parse(buf.toString('utf8', off + 4, off + 4 + size)) as number | number[];
      off += 4 + size;
      receiver(v);
    }
    buf = off === buf.length ? Buffer.alloc(0) : buf.subarray(off);
  });
  return {
    child,
    endpoint: {
      send: (m) => void child.stdin!.write(encode(m)),
      sendEach: (values) => void child.stdin!.write(Buffer.concat(values.map(encode))),
      onReply: (cb) => {
        receiver = cb;
      },
      close: () => endChild(child, () => child.stdin!.end()),
    },
  };
}

/**
 * `count` framed-stdio echoes (`command args`), each answering already.
 *
 * @example
 * const raw = fifoPool(await stdioEndpoints(pythonPath(), [PYTHON_ECHO], 2), { batch: 'each' });
 */
export async function stdioEndpoints(command: string, args: readonly string[], count: number): Promise<RawEndpoint[]> {
  const eps: RawEndpoint[] = [];
  for (let i = 0; i < count; i++) {
    const { endpoint } = stdioEndpoint(command, args);
    await new Promise<void>((resolve) => {
      endpoint.onReply(() => resolve());
      endpoint.send(0);
    });
    eps.push(endpoint);
  }
  return eps;
}
