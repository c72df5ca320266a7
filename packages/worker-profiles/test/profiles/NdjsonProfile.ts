import { createInterface } from 'node:readline';
import { checkKnownKeys, InvalidOptionError } from '@arbor/core';
import { formatWorkerExit, Outbox, resolveRegistry, signalGroup, spawnOsWorker, WorkerStartError } from '../../src/index.js';
import type { ChildFrame, KillCause, ParentFrame, ReadyFrame, RegistryOption, StartContext, WireError, WorkerConn, WorkerExit, WorkerProfile } from '../../src/index.js';

/**
 * What an ndjson worker is started from.
 *
 * @example
 * const options: NdjsonProfileOptions = { command: '/usr/bin/python3', args: ['worker.py'], registry: 'process-registry' };
 */
export interface NdjsonProfileOptions {
  readonly command: string;
  readonly args?: readonly string[];
  /** The process registry (default: the one registered as `process-registry`). */
  readonly registry?: RegistryOption;
}

/**
 * A profile for commands that speak newline-delimited JSON: one frame, or an array of frames,
 * per line on stdin and stdout. It runs one request at a time.
 *
 * @example
 * const worker = await startWorker(system, { profile: ndjsonProfile<Api>({ command: 'python3', args: ['worker.py'] }) });
 */
export function ndjsonProfile<H>(options: NdjsonProfileOptions): WorkerProfile<H> {
  checkKnownKeys('ndjsonProfile', options, ['command', 'args', 'registry']);
  if (typeof options?.command !== 'string' || options.command === '') throw new InvalidOptionError('ndjsonProfile: options.command', 'a command to run', options?.command);
  if (options.args !== undefined && !(Array.isArray(options.args) && options.args.every((a) => typeof a === 'string'))) throw new InvalidOptionError('ndjsonProfile: options.args', 'an array of strings', options.args);
  return { kind: 'ndjson', capacity: 1, isProcess: true, start: (ctx) => startNdjson(ctx, options) };
}

const MAX_TIMER_MS = 2 ** 31 - 1;

async function startNdjson(ctx: StartContext, options: NdjsonProfileOptions): Promise<WorkerConn> {
  const { workerId } = ctx;
  const startError = (detail: string, pid?: number, cause?: unknown) =>
    new WorkerStartError({ workerId, kind: 'ndjson', ...(pid !== undefined ? { pid } : {}), at: Date.now(), reason: 'startup_failed', detail }, cause);
  const registry = resolveRegistry(ctx.system, options.registry);
  if (registry === undefined) throw startError('no process registry is running (start a ProcessRegistry or pass { registry })');
  const proc = await spawnOsWorker(ctx, registry, { command: options.command, args: options.args ?? [], stdio: ['pipe', 'pipe', 'inherit'] }).catch((error: unknown) => {
    throw startError(`it could not be spawned: ${error instanceof Error ? error.message : String(error)}`, undefined, error);
  });
  const { child, pid } = proc;
  let ready: ReadyFrame | undefined;
  let whenStarted: ((ok: boolean) => void) | undefined;
  let receiver: ((frame: ChildFrame) => void) | undefined;
  const early: ChildFrame[] = []; // read before onFrame set the receiver
  let protocolError: WireError | undefined;
  let killCause: KillCause | undefined;
  let exit: WorkerExit | undefined;
  let exitReceiver: ((exit: WorkerExit) => void) | undefined;
  let resolveExited!: (exit: WorkerExit) => void;
  const exited = new Promise<WorkerExit>((resolve) => (resolveExited = resolve));
  const out = new Outbox<ParentFrame>((message) => void child.stdin!.write(`${JSON.stringify(message)}\n`));
  child.stdin!.on('error', () => undefined); // EPIPE once it died: its exit reports that

  const kill = (cause: KillCause): void => {
    if (killCause !== undefined || child.exitCode !== null || child.signalCode !== null) return; // a reaped pid may be reused
    killCause = cause;
    out.close();
    signalGroup(pid, 'SIGKILL');
  };
  const failProtocol = (message: string): void => {
    protocolError ??= { name: 'FramingError', message };
    kill('shutdown'); // reported as a crash carrying protocolError
  };
  createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (line) => {
    if (exit !== undefined || protocolError !== undefined || line === '') return;
    let message: ChildFrame | ChildFrame[];
    try {
      message = JSON.parse(line) as ChildFrame | ChildFrame[];
    } catch {
      return failProtocol(`it printed a line that is not a JSON frame: ${JSON.stringify(line.slice(0, 80))} (stdout is for frames; log to stderr)`);
    }
    for (const frame of Array.isArray(message) ? message : [message]) {
      if (ready === undefined) {
        if (frame?.t !== 'ready') return failProtocol(`its first frame was ${JSON.stringify(frame?.t)}, not READY`);
        ready = frame;
        whenStarted?.(true);
      } else if (receiver !== undefined) receiver(frame);
      else early.push(frame);
    }
  });
  child.once('exit', () => {
    try {
      process.kill(-pid, 'SIGKILL'); // what it left in its process group (they hold its pipes)
    } catch {
      /* none left */
    }
  });
  child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
    out.close();
    const base = { workerId, kind: 'ndjson', pid, at: Date.now() } as const;
    exit =
      protocolError !== undefined
        ? { ...base, reason: 'crash', error: protocolError }
        : signal === 'SIGKILL'
          ? { ...base, reason: 'killed', signal, by: killCause !== undefined ? 'arbor' : 'external', ...(killCause !== undefined ? { cause: killCause } : {}) }
          : signal !== null
            ? { ...base, reason: 'crash', signal }
            : code === 0
              ? { ...base, reason: 'normal' }
              : { ...base, reason: 'exit', code: code ?? 1 };
    void proc.release(); // never rejects
    whenStarted?.(false);
    resolveExited(exit);
    exitReceiver?.(exit);
  });

  let timedOut = false;
  const timer = ctx.readyTimeoutMs < MAX_TIMER_MS ? setTimeout(() => ((timedOut = true), kill('start_timeout')), ctx.readyTimeoutMs) : undefined;
  const readied = await new Promise<boolean>((resolve) => (whenStarted = resolve));
  whenStarted = undefined;
  clearTimeout(timer);
  const activated = readied && (await proc.activate());
  if (!activated || exit !== undefined) {
    const why = timedOut ? `no READY line within ${ctx.readyTimeoutMs} ms` : (protocolError?.message ?? (exit === undefined ? 'the process registry refused it' : undefined));
    kill('start_timeout');
    const end = await exited; // and the registry entry is being released
    throw startError(why ?? `it ${formatWorkerExit(end)} before READY`, pid);
  }
  let stopping: Promise<WorkerExit> | undefined;
  return {
    workerId,
    kind: 'ndjson',
    pid,
    meta: { command: options.command, args: options.args ?? [], ...ready!.meta },
    ...(ready!.methods !== undefined ? { methods: ready!.methods } : {}),
    send: (frame) => out.push(frame),
    onFrame(r) {
      receiver = r;
      if (early.length > 0) queueMicrotask(() => early.splice(0).forEach((frame) => exit === undefined && r(frame)));
    },
    onExit(r) {
      if (exit === undefined) exitReceiver = r;
      else queueMicrotask(() => r(exit!));
    },
    stop: (graceMs) =>
      (stopping ??= (async () => {
        out.flush();
        child.stdin!.end(); // the worker exits at EOF
        const grace = setTimeout(() => kill('stop_timeout'), Math.min(Math.max(0, graceMs), MAX_TIMER_MS));
        const end = await exited;
        clearTimeout(grace);
        return end;
      })()),
    kill,
  };
}
