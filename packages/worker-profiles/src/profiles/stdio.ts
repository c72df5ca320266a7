import { checkKnownKeys, InvalidOptionError } from '@arbor/core';
import type { ParentFrame } from '../contract/frames.js';
import type { StartContext, WorkerConn, WorkerProfile } from '../contract/WorkerProfile.js';
import { WorkerStartError } from '../errors/errors.js';
import { Outbox } from '../transport/Outbox.js';
import { MessageDecoder } from '../transport/u32Framing.js';
import type { OsWorkerConn, OsTransport } from './OsWorkerConn.js';
import type { RegistryOption } from './osProcess.js';
import { capacityOf, stringsOf } from './nodeProcess.js';
import { startOsWorker } from './startOsWorker.js';

/** Options of {@link stdioProfile}. */
export interface StdioProfileOptions {
  /** The program to run (a path, or a name looked up in PATH). */
  readonly command: string;
  readonly args?: readonly string[];
  /** Requests one process runs at once (default 1); passed to the worker as `ARBOR_WORKER_CAPACITY`. */
  readonly capacity?: number;
  /** Extra environment, merged over `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** The process registry (default: the actor registered as `process-registry`). */
  readonly registry?: RegistryOption;
  /** Spawn under `setpriv --pdeathsig KILL` (default: when `/usr/bin/setpriv` exists). */
  readonly pdeathsig?: boolean;
  /** A hard address-space cap in bytes (`prlimit --as`): allocations past it fail inside the worker. */
  readonly addressSpaceLimitBytes?: number;
}

const STDIO_KEYS = ['command', 'args', 'capacity', 'env', 'cwd', 'registry', 'pdeathsig', 'addressSpaceLimitBytes'] as const;

/** Validates {@link StdioProfileOptions}. @internal */
export function checkStdioOptions(op: string, options: StdioProfileOptions, extraKeys: readonly string[] = []): void {
  checkKnownKeys(op, options, [...STDIO_KEYS, ...extraKeys]);
  const limit = options.addressSpaceLimitBytes;
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1)) {
    throw new InvalidOptionError(`${op}: addressSpaceLimitBytes`, 'a positive integer number of bytes', limit);
  }
}

/**
 * Workers in any language over stdio: each message is a u32 little-endian length then UTF-8
 * JSON (a frame or a batch of frames), requests batched per microtask, stdout EOF ends the
 * worker, stdin EOF asks it to leave. Spawned under `setpriv --pdeathsig KILL` (and
 * `prlimit --as` when `addressSpaceLimitBytes` is set), registered in the process registry;
 * stderr's last 4 KiB is quoted when a start fails (it is not forwarded to a logger).
 *
 * @example
 * const profile = stdioProfile<EchoApi>({ command: '/usr/local/bin/echo-worker', args: ['--quiet'] });
 */
export function stdioProfile<H>(options: StdioProfileOptions): WorkerProfile<H> {
  checkStdioOptions('stdioProfile', options);
  if (typeof options.command !== 'string' || options.command === '') throw new InvalidOptionError('stdioProfile: command', 'a program path or name', options.command);
  return stdioProfileOf<H>('stdio', options, async () => ({ command: options.command, args: stringsOf('stdioProfile: args', options.args) }));
}

/** A stdio profile whose command line is computed at each start (the Python profile resolves its interpreter). @internal */
export function stdioProfileOf<H>(
  kind: string,
  options: Omit<StdioProfileOptions, 'command' | 'args'>,
  commandLine: () => Promise<{ command: string; args: string[]; meta?: Record<string, unknown> }>,
): WorkerProfile<H> {
  const capacity = capacityOf(`${kind}Profile`, options.capacity);
  const env = { ...process.env, ...options.env, ARBOR_WORKER_TRANSPORT: 'stdio', ARBOR_WORKER_CAPACITY: String(capacity) };
  return {
    kind,
    capacity,
    isProcess: true,
    start: async (ctx: StartContext): Promise<WorkerConn> => {
      let line: Awaited<ReturnType<typeof commandLine>>;
      try {
        line = await commandLine();
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new WorkerStartError({ workerId: ctx.workerId, kind, reason: 'startup_failed', detail, at: Date.now() }, error);
      }
      const { command, args, meta } = line;
      return startOsWorker(ctx, {
        kind,
        registry: options.registry,
        oomOnAbort: false,
        spawn: {
          command,
          args,
          env,
          stdio: ['pipe', 'pipe', 'pipe'],
          ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
          ...(options.pdeathsig !== undefined ? { pdeathsig: options.pdeathsig } : {}),
          ...(options.addressSpaceLimitBytes !== undefined ? { addressSpaceLimitBytes: options.addressSpaceLimitBytes } : {}),
        },
        transport: stdioTransport,
        meta: { capacity, ...meta },
      });
    },
  };
}

/**
 * Frames as u32-LE + JSON over stdin/stdout. Each frame is stringified once, in the outbox's
 * `sizeOf`; the writer joins the strings of a batch into one message.
 */
function stdioTransport(conn: OsWorkerConn): OsTransport {
  const { stdin, stdout } = conn.proc.child;
  let encoded: string[] = [];
  const outbox: Outbox<ParentFrame> = new Outbox<ParentFrame>(
    () => {
      const parts = encoded;
      encoded = [];
      const json = parts.length === 1 ? parts[0]! : `[${parts.join(',')}]`;
      const size = Buffer.byteLength(json);
      const message = Buffer.allocUnsafe(4 + size);
      message.writeUInt32LE(size, 0);
      message.write(json, 4, 'utf8');
      if (stdin === null || stdin.writableEnded || stdin.destroyed) return outbox.close(); // the child's exit settles what was in flight
      stdin.write(message);
    },
    {
      // a frame JSON cannot carry (a BigInt, a cycle) throws here, alone: its request fails, not the batch
      onUnsendable: (frame, error) => conn.refuse(frame, error),
      sizeOf: (frame) => {
        const json = JSON.stringify(frame);
        encoded.push(json);
        return json.length;
      },
    },
  );
  stdin?.on('error', () => outbox.close()); // EPIPE: the child is gone; its exit reports
  const decoder = new MessageDecoder();
  stdout?.on('data', (chunk: Buffer) => {
    let messages: unknown[];
    try {
      messages = decoder.push(chunk);
    } catch (error) {
      conn.protocolError(error as Error);
      return;
    }
    for (const message of messages) conn.deliver(message);
  });
  stdout?.once('end', () => {
    outbox.close();
    conn.channelClosed();
  });
  const drop = () => {
    outbox.close();
    encoded = [];
  };
  return {
    send: (frame) => outbox.push(frame),
    close: () => {
      outbox.flush();
      drop();
      if (stdin !== null && !stdin.writableEnded) stdin.end();
    },
    drop,
  };
}
