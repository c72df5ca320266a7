import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type ResourceLimits } from 'node:worker_threads';
import { checkKnownKeys, InvalidOptionError } from '@arbor/core';
import type { StartContext, WorkerConn, WorkerProfile } from '../contract/WorkerProfile.js';
import { WorkerStartError } from '../errors/errors.js';
import { THREAD_DATA_KEY, type ThreadWorkerData } from '../runtime/transports.js';
import { toWireError } from '../transport/wireError.js';
import { heapLimitMb, parentHeapFlag } from './heapLimit.js';
import { ThreadConn } from './ThreadConn.js';

/**
 * Options of {@link threadProfile}.
 *
 * @example
 * const options: ThreadProfileOptions = { module: new URL('./worker.js', import.meta.url), capacity: 4, resourceLimits: { maxOldGenerationSizeMb: 256 } };
 */
export interface ThreadProfileOptions {
  /** The worker module (it calls `serveWorker`): a file URL, a `file:` URL string, or a path (relative to the cwd). */
  readonly module: URL | string;
  /** How many requests one worker runs at once (default 1). */
  readonly capacity?: number;
  /**
   * The thread's V8 limits (`maxOldGenerationSizeMb` and the rest); reaching one ends the
   * worker with an `oom` exit. Note nodejs/node#43991: when this process was started with
   * `--max-old-space-size` (in its argv or NODE_OPTIONS), that flag wins over
   * `maxOldGenerationSizeMb`; the first capped start warns once (report `heap_limit_overridden`).
   */
  readonly resourceLimits?: ResourceLimits;
  /** Node flags for the thread (`Worker` `execArgv`). */
  readonly execArgv?: readonly string[];
  /** The thread's `process.env` (default: a copy of this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /** The thread's extra `process.argv` entries. */
  readonly argv?: readonly string[];
  /** The thread's name in debuggers and heap snapshots (default: the worker id). */
  readonly name?: string;
}

const KNOWN_KEYS = ['module', 'capacity', 'resourceLimits', 'execArgv', 'env', 'argv', 'name'] as const;
const LIMIT_KEYS = ['maxOldGenerationSizeMb', 'maxYoungGenerationSizeMb', 'codeRangeSizeMb', 'stackSizeMb'] as const;

/**
 * A worker per Node worker thread, running a module that calls `serveWorker(handlers)`.
 * Each worker gets its own `MessageChannel` (its port goes in `workerData`, not
 * `parentPort`), its own `resourceLimits`, and transfer lists on requests. `start`
 * resolves at the worker's READY frame; a worker that fails to import, exits, or stays
 * silent past `readyTimeoutMs` rejects with `WorkerStartError` once the thread is gone.
 * Exits: `ERR_WORKER_OUT_OF_MEMORY` → `oom`; another uncaught error → `crash`; exit code 0 →
 * `normal`, n → `exit`; Arbor's `terminate()` → `killed` (`signal: 'terminate'`, `by: 'arbor'`).
 *
 * `withHeapLimit(bytes)` gives a copy whose threads get `maxOldGenerationSizeMb = ceil(bytes / MiB)`
 * (the other `resourceLimits` kept). A parent started with `--max-old-space-size` (argv or
 * NODE_OPTIONS) overrides `maxOldGenerationSizeMb` (nodejs/node#43991): the first start of a
 * capped thread in such a process warns once through the actor's logger (report
 * `heap_limit_overridden`; `process.emitWarning` with code `ARBOR_THREAD_LIMITS` when the
 * start context has no logger).
 *
 * @example
 * import type { Api } from './worker.js';
 * const profile = threadProfile<Api>({ module: new URL('./worker.js', import.meta.url), capacity: 4 });
 * const worker = await startWorker(system, { profile, name: 'hash' });
 * await worker.request('add', 1); // 2
 * const capped = profile.withHeapLimit!(64 * 1024 * 1024); // resourceLimits.maxOldGenerationSizeMb: 64
 */
export function threadProfile<H = unknown>(options: ThreadProfileOptions): WorkerProfile<H> {
  checkKnownKeys('threadProfile', options, KNOWN_KEYS);
  if (options === undefined) throw new InvalidOptionError('threadProfile: options', 'an object with at least { module }', options);
  const module = moduleUrl(options.module);
  const capacity = options.capacity ?? 1;
  if (!Number.isSafeInteger(capacity) || capacity < 1) throw new InvalidOptionError('threadProfile: options.capacity', 'a positive integer (requests one worker runs at once)', options.capacity);
  const resourceLimits = checkLimits(options.resourceLimits);
  const execArgv = checkStrings('execArgv', options.execArgv);
  const argv = checkStrings('argv', options.argv);
  const env = options.env;
  if (env !== undefined && (typeof env !== 'object' || env === null || Array.isArray(env))) throw new InvalidOptionError('threadProfile: options.env', 'an object of environment variables', env);
  const name = options.name;
  if (name !== undefined && (typeof name !== 'string' || name === '')) throw new InvalidOptionError('threadProfile: options.name', 'a non-empty string', name);
  const capped = resourceLimits?.maxOldGenerationSizeMb !== undefined;
  const meta: Record<string, unknown> = { module: module.href };
  if (resourceLimits !== undefined) meta.resourceLimits = resourceLimits;
  return {
    kind: 'thread',
    capacity,
    isProcess: false,
    withHeapLimit(maxHeapBytes: number): WorkerProfile<H> {
      const maxOldGenerationSizeMb = heapLimitMb('threadProfile: withHeapLimit', maxHeapBytes);
      return threadProfile<H>({ ...options, resourceLimits: { ...resourceLimits, maxOldGenerationSizeMb } });
    },
    start(ctx: StartContext): Promise<WorkerConn> {
      if (capped) warnIfHeapFlagWins(ctx, resourceLimits!.maxOldGenerationSizeMb!);
      const { port1, port2 } = new MessageChannel();
      const data: ThreadWorkerData = { port: port2, workerId: ctx.workerId };
      let worker: Worker;
      try {
        worker = new Worker(module, {
          workerData: { [THREAD_DATA_KEY]: data },
          transferList: [port2],
          name: name ?? ctx.workerId,
          ...(resourceLimits !== undefined ? { resourceLimits } : {}),
          ...(execArgv !== undefined ? { execArgv: [...execArgv] } : {}),
          ...(argv !== undefined ? { argv: [...argv] } : {}),
          ...(env !== undefined ? { env } : {}),
        });
      } catch (error) {
        port1.close();
        const wire = toWireError(error);
        const exit = { workerId: ctx.workerId, kind: 'thread', at: Date.now(), reason: 'startup_failed', detail: `new Worker failed: ${wire.name}: ${wire.message}`, error: wire } as const;
        return Promise.reject(new WorkerStartError(exit, error));
      }
      return new ThreadConn(ctx.workerId, worker, port1, { ...meta, threadId: worker.threadId }).startup(ctx.readyTimeoutMs);
    },
  };
}

function moduleUrl(module: unknown): URL {
  if (module instanceof URL) {
    if (module.protocol !== 'file:') throw new InvalidOptionError('threadProfile: options.module', 'a file: URL, or a path', module.href);
    return module;
  }
  if (typeof module !== 'string' || module === '') throw new InvalidOptionError('threadProfile: options.module', "the worker module as a URL (new URL('./worker.js', import.meta.url)) or a path", module);
  if (module.startsWith('file:')) return new URL(module);
  return pathToFileURL(isAbsolute(module) ? module : resolve(module));
}

function checkLimits(limits: ResourceLimits | undefined): ResourceLimits | undefined {
  if (limits === undefined) return undefined;
  checkKnownKeys('threadProfile: options.resourceLimits', limits, LIMIT_KEYS);
  for (const key of LIMIT_KEYS) {
    const value = limits[key];
    if (value !== undefined && (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))) throw new InvalidOptionError(`threadProfile: options.resourceLimits.${key}`, 'a positive number of megabytes', value);
  }
  return { ...limits };
}

function checkStrings(key: 'execArgv' | 'argv', value: readonly string[] | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new InvalidOptionError(`threadProfile: options.${key}`, 'an array of strings', value);
  return value;
}

let warnedHeapFlag = false;
/** nodejs/node#43991: the parent's --max-old-space-size beats a thread's maxOldGenerationSizeMb. Warns once per process. */
function warnIfHeapFlagWins(ctx: StartContext, maxOldGenerationSizeMb: number): void {
  if (warnedHeapFlag || !parentHeapFlag()) return;
  warnedHeapFlag = true;
  const message = 'this process runs with --max-old-space-size (argv or NODE_OPTIONS), which overrides resourceLimits.maxOldGenerationSizeMb of worker threads (nodejs/node#43991): thread heap caps are not enforced; start the parent without it';
  if (ctx.logger !== undefined) ctx.logger.warn(message, { report: 'heap_limit_overridden', workerId: ctx.workerId, maxOldGenerationSizeMb });
  else process.emitWarning(message, { code: 'ARBOR_THREAD_LIMITS' });
}
