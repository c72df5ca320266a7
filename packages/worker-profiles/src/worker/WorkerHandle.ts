import { ActorSystem, childSpec, InvalidOptionError, isActorRef, refExpected, type ActorRef, type ChildSpec, type ChildSpecOverrides, type SpawnOptions } from '@arbor/core';
import type { ArgOf, MethodOf, ResultOf } from '../contract/Handlers.js';
import { WorkerStoppedError } from '../errors/errors.js';
import { WorkerActor, type WorkerProtocol } from './WorkerActor.js';
import { channelOf } from './channelRegistry.js';
import { EXIT_GRACE_MS, type RequestOptions } from './WorkerChannel.js';
import type { HealthResult, WorkerMetadata, WorkerStats } from './WorkerInfo.js';
import { resolveWorkerOptions, type WorkerOptions } from './WorkerOptions.js';

/** How long a call to the worker actor (stats, metadata) may take. */
const CALL_TIMEOUT_MS = 5_000;

/**
 * The typed front of one worker actor. `request` goes straight to the actor's channel (a
 * Map lookup, no mailbox hop) and settles exactly once: the reply, the worker's error
 * (`WorkerTaskError`), or a typed error when the worker dies, times out, is aborted or
 * is not running.
 *
 * @example
 * const worker = await startWorker(system, { profile: threadProfile<Api>({ module, capacity: 4 }) });
 * const n = await worker.request('add', 1); // number
 */
export class WorkerHandle<H = unknown> {
  readonly #system: ActorSystem;
  readonly #ref: ActorRef<WorkerProtocol> | undefined;
  readonly #label: string;

  /** @internal Use `startWorker` or `workerOf`. */
  constructor(system: ActorSystem, ref: ActorRef<WorkerProtocol> | undefined, label: string) {
    this.#system = system;
    this.#ref = ref;
    this.#label = label;
  }

  /** The worker actor's ref (throws WorkerStoppedError for a name that was not running at `workerOf`). */
  get ref(): ActorRef<WorkerProtocol> {
    if (this.#ref === undefined) throw new WorkerStoppedError(this.#label, '(ref)');
    return this.#ref;
  }

  /**
   * Runs `method(arg)` in the worker. Rejects with WorkerTaskError (the handler threw),
   * RequestTimeoutError, RequestAbortedError, WorkerExitError, WorkerStoppedError,
   * UnknownMethodError or WorkerQueueFullError.
   *
   * @example
   * const r = await worker.request('resize', img, { timeoutMs: 5_000, signal });
   */
  request<M extends MethodOf<H>>(method: M, arg: ArgOf<H, M>, options?: RequestOptions): Promise<ResultOf<H, M>> {
    const channel = this.#ref === undefined ? undefined : channelOf(this.#system, this.#ref.id);
    if (channel === undefined) return Promise.reject(new WorkerStoppedError(this.#label, method));
    return channel.request(method, arg, options) as Promise<ResultOf<H, M>>;
  }

  /** Requests one worker runs at once (0 when the actor is not running). */
  get capacity(): number {
    return this.#channel()?.capacity ?? 0;
  }

  /** Requests in flight (a cancelled one counts until the worker answers it). */
  get load(): number {
    return this.#channel()?.load ?? 0;
  }

  /** Requests waiting parent-side. */
  get queued(): number {
    return this.#channel()?.queued ?? 0;
  }

  /**
   * The actor's counters and the worker's memory.
   *
   * @example
   * const { served, heapUsedBytes } = await worker.stats();
   */
  stats(): Promise<WorkerStats> {
    return this.#system.call(this.ref, { type: 'stats' }, { timeout: CALL_TIMEOUT_MS });
  }

  /**
   * Who the worker is and what it serves.
   *
   * @example
   * const { methods } = await worker.metadata();
   */
  metadata(): Promise<WorkerMetadata> {
    return this.#system.call(this.ref, { type: 'metadata' }, { timeout: CALL_TIMEOUT_MS });
  }

  /**
   * One ping over the worker's channel: `{ ok: true, rttMs }` or `{ ok: false, reason }` (never throws).
   *
   * @example
   * const h = await worker.healthCheck(500);
   */
  healthCheck(timeoutMs = 2_000): Promise<HealthResult> {
    if (!(Number.isInteger(timeoutMs) && timeoutMs >= 1)) return Promise.reject(new InvalidOptionError('healthCheck: timeoutMs', 'an integer number of milliseconds >= 1', timeoutMs));
    const channel = this.#channel();
    return channel === undefined ? Promise.resolve({ ok: false, reason: 'not_running' }) : channel.healthCheck(timeoutMs);
  }

  /**
   * Replaces the worker in place (the actor and its ref stay): resolves once the new worker
   * serves; the old one finishes its in-flight requests meanwhile.
   *
   * @example
   * await worker.recycle();
   */
  async recycle(): Promise<void> {
    const channel = this.#channel();
    if (channel === undefined) throw new WorkerStoppedError(this.#label, '(recycle)');
    const timeout = channel.options.readyTimeoutMs + CALL_TIMEOUT_MS;
    const outcome = await this.#system.call(this.ref, { type: 'recycle' }, { timeout });
    if (!outcome.ok) throw outcome.error;
  }

  /**
   * The orderly stop: no new requests, in-flight ones finish (up to stopGraceMs), then the
   * worker is stopped. Resolves once the actor is gone (at once if it is not running).
   *
   * @example
   * await worker.stop();
   */
  async stop(): Promise<void> {
    const ref = this.#ref;
    if (ref === undefined || !this.#system.isAlive(ref)) return;
    const channel = this.#channel();
    const grace = channel?.options.stopGraceMs ?? 5_000;
    void channel?.stop(); // refuse new requests now; the actor's terminate awaits the same drain
    await this.#system.stop(ref, 'normal', { timeout: grace + EXIT_GRACE_MS + 2_000 }).catch((error: unknown) => {
      if (this.#system.isAlive(ref)) throw error;
    });
  }

  #channel() {
    return this.#ref === undefined ? undefined : channelOf(this.#system, this.#ref.id);
  }
}

function checkSystem(op: string, system: unknown): asserts system is ActorSystem {
  if (!(system instanceof ActorSystem)) throw new InvalidOptionError(`${op}: system`, 'an ActorSystem (createSystem())', system);
}

/**
 * Starts a worker actor and resolves with its handle once the worker is READY. Rejects
 * like `spawn`: InitError wrapping WorkerStartError (or InvalidOptionError for bad options,
 * thrown before anything starts). The same as `Worker.start`.
 *
 * @example
 * const worker = await startWorker(system, { profile: pythonProfile<PyApi>({ script }), name: 'py' });
 */
export async function startWorker<H>(system: ActorSystem, options: WorkerOptions<H>, spawnOptions?: SpawnOptions<WorkerProtocol>): Promise<WorkerHandle<H>> {
  checkSystem('startWorker', system);
  const resolved = resolveWorkerOptions('startWorker', options as WorkerOptions<unknown>);
  const ref = await system.spawn(WorkerActor, resolved, { ...spawnOptions, ...(resolved.name !== undefined ? { name: resolved.name } : {}) });
  return new WorkerHandle<H>(system, ref, JSON.stringify(resolved.name ?? ref.id));
}

/**
 * A child spec for supervisors: id and registered name `options.name` (default id
 * `worker:<kind>`), `shutdown` stopGraceMs + 2000 so the orderly drain fits. The same as
 * `Worker.childSpec`.
 *
 * @example
 * await Supervisor.start(system, { strategy: 'one_for_one', children: [workerSpec({ profile, name: 'py' })] });
 * await workerOf<PyApi>(system, 'py').request('add', { a: 1, b: 2 });
 */
export function workerSpec<H>(options: WorkerOptions<H>, overrides?: ChildSpecOverrides): ChildSpec {
  const resolved = resolveWorkerOptions('workerSpec', options as WorkerOptions<unknown>);
  return childSpec(WorkerActor, resolved, {
    id: resolved.name ?? `worker:${resolved.profile.kind}`,
    shutdown: resolved.stopGraceMs + 2_000,
    ...(resolved.name !== undefined ? { options: { name: resolved.name } } : {}),
    ...overrides,
  });
}

/**
 * The handle of a running worker actor, by ref or registered name. A name that is not
 * running gives a handle whose requests reject with WorkerStoppedError (look it up again
 * after its supervisor restarts it: the new actor has a new ref). The same as `Worker.of`.
 *
 * @example
 * const py = workerOf<PyApi>(system, 'py');
 */
export function workerOf<H>(system: ActorSystem, refOrName: ActorRef | string): WorkerHandle<H> {
  checkSystem('workerOf', system);
  if (typeof refOrName === 'string') {
    const ref = system.whereis<WorkerProtocol>(refOrName);
    return new WorkerHandle<H>(system, ref, JSON.stringify(refOrName));
  }
  if (!isActorRef(refOrName)) throw new InvalidOptionError('workerOf: refOrName', refExpected('a registered name'), refOrName);
  return new WorkerHandle<H>(system, refOrName as ActorRef<WorkerProtocol>, JSON.stringify(refOrName.id));
}
