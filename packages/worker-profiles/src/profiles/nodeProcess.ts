import { fileURLToPath } from 'node:url';
import { checkKnownKeys, InvalidOptionError } from '@arbor/core';
import type { ParentFrame } from '../contract/frames.js';
import type { StartContext, WorkerConn, WorkerProfile } from '../contract/WorkerProfile.js';
import { Outbox } from '../transport/Outbox.js';
import { hasHeapFlag, heapLimitMb, withHeapFlag } from './heapLimit.js';
import type { OsWorkerConn, OsTransport } from './OsWorkerConn.js';
import type { RegistryOption } from './osProcess.js';
import { startOsWorker } from './startOsWorker.js';

/** Options of {@link nodeProcessProfile}. */
export interface NodeProcessProfileOptions {
  /** The worker module (it calls `serveWorker(handlers)` from `@arbor/worker-profiles/worker`). */
  readonly module: URL | string;
  /** Requests one child runs at once (default 1). */
  readonly capacity?: number;
  /** Node flags, e.g. `--max-old-space-size=64` (then a V8 out-of-memory abort is reported as `oom`). */
  readonly execArgv?: readonly string[];
  /** IPC serialization: `json` (default, faster per message) or `advanced` (structured clone: Buffers, Maps). */
  readonly serialization?: 'json' | 'advanced';
  /** Extra environment, merged over `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** The process registry (default: the actor registered as `process-registry`). */
  readonly registry?: RegistryOption;
  /** Spawn under `setpriv --pdeathsig KILL` (default: when `/usr/bin/setpriv` exists). */
  readonly pdeathsig?: boolean;
}

const NODE_PROCESS_KEYS = ['module', 'capacity', 'execArgv', 'serialization', 'env', 'cwd', 'registry', 'pdeathsig'] as const;

/**
 * Workers that are Node child processes speaking frames over Node IPC: spawned as
 * `node [...execArgv] <module>` under `setpriv --pdeathsig KILL`, registered in the process
 * registry, with stderr's last 4 KiB quoted when a start fails (stdout and stderr are not
 * forwarded to a logger). `withHeapLimit(bytes)` gives a copy whose children run with
 * `--max-old-space-size=<ceil(bytes / MiB)>` (replacing one in `execArgv`); V8's abort past
 * it (SIGABRT) is classified `oom`.
 *
 * @example
 * const profile = nodeProcessProfile<typeof import('./worker.js').handlers>({
 *   module: new URL('./worker.js', import.meta.url), execArgv: ['--max-old-space-size=64'],
 * });
 * const smaller = profile.withHeapLimit!(32 * 1024 * 1024); // execArgv: ['--max-old-space-size=32']
 */
export function nodeProcessProfile<H>(options: NodeProcessProfileOptions): WorkerProfile<H> {
  checkKnownKeys('nodeProcessProfile', options, NODE_PROCESS_KEYS);
  const modulePath = modulePathOf('nodeProcessProfile', options.module);
  const capacity = capacityOf('nodeProcessProfile', options.capacity);
  const execArgv = stringsOf('nodeProcessProfile: execArgv', options.execArgv);
  const serialization = options.serialization ?? 'json';
  if (serialization !== 'json' && serialization !== 'advanced') throw new InvalidOptionError('nodeProcessProfile: serialization', "'json' or 'advanced'", serialization);
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, ARBOR_WORKER_TRANSPORT: 'ipc' };
  // V8 aborts (SIGABRT) at the heap cap: execArgv's flag, or one in the NODE_OPTIONS the child inherits
  const oomOnAbort = hasHeapFlag(execArgv) || hasHeapFlag((env.NODE_OPTIONS ?? '').split(/\s+/));
  return {
    kind: 'node-process',
    capacity,
    isProcess: true,
    withHeapLimit(maxHeapBytes: number): WorkerProfile<H> {
      const mb = heapLimitMb('nodeProcessProfile: withHeapLimit', maxHeapBytes);
      return nodeProcessProfile<H>({ ...options, execArgv: withHeapFlag(execArgv, mb) });
    },
    start: (ctx: StartContext): Promise<WorkerConn> =>
      startOsWorker(ctx, {
        kind: 'node-process',
        registry: options.registry,
        oomOnAbort,
        spawn: {
          command: process.execPath,
          args: [...execArgv, modulePath],
          env,
          stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
          serialization,
          ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
          ...(options.pdeathsig !== undefined ? { pdeathsig: options.pdeathsig } : {}),
        },
        transport: ipcTransport,
        meta: { module: modulePath, serialization },
      }),
  };
}

/** Frames over the child's IPC channel, batched per microtask; disconnect ends the channel. */
function ipcTransport(conn: OsWorkerConn): OsTransport {
  const child = conn.proc.child;
  const outbox: Outbox<ParentFrame> = new Outbox<ParentFrame>(
    (message) => {
      if (!child.connected) return outbox.close(); // the child's exit settles what was in flight
      child.send(message); // throws only for a message it cannot serialize
    },
    { onUnsendable: (frame, error) => conn.refuse(frame, error) },
  );
  child.on('message', (message) => conn.deliver(message));
  child.once('disconnect', () => {
    outbox.close();
    conn.channelClosed();
  });
  return {
    send: (frame) => outbox.push(frame),
    close: () => {
      outbox.flush();
      outbox.close();
      if (child.connected) child.disconnect();
    },
    drop: () => outbox.close(),
  };
}

/** A module option as a file path. @internal */
export function modulePathOf(op: string, module: unknown): string {
  if (module instanceof URL) return fileURLToPath(module);
  if (typeof module === 'string' && module !== '') return module.startsWith('file:') ? fileURLToPath(module) : module;
  throw new InvalidOptionError(`${op}: module`, 'a file URL or a path (new URL("./worker.js", import.meta.url))', module);
}

/** A capacity option (default 1). @internal */
export function capacityOf(op: string, capacity: unknown): number {
  if (capacity === undefined) return 1;
  if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1) throw new InvalidOptionError(`${op}: capacity`, 'a positive integer', capacity);
  return capacity;
}

/** A string-list option (default empty). @internal */
export function stringsOf(op: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new InvalidOptionError(op, 'an array of strings', value);
  return [...(value as string[])];
}
