import { ArborError } from '@arbor/core';

/**
 * The LMDB file could not be opened, not even as a fresh file after moving a damaged one
 * aside (a directory that cannot be created or written, say). The registry fails to start.
 *
 * @example
 * await ProcessRegistry.start(system, { path: '/proc/nope/registry.mdb' }) // rejects (InitError wrapping this)
 */
export class StoreUnavailableError extends ArborError {
  readonly code = 'store_unavailable' as const;
  constructor(readonly path: string, cause: unknown) {
    super(`cannot open the process registry store at ${path}: ${String(cause)}; pass a writable { path } (or set { application } for the default one)`, {
      cause: cause instanceof Error ? cause : undefined,
    });
  }
}

/**
 * `spawnWorker` was asked to start a worker id that is already registered in this run.
 *
 * @example
 * await spawnWorker(registry, { workerId: 'w1', command: 'node', args: ['w.js'] }) // twice: rejects
 */
export class WorkerAlreadyRegisteredError extends ArborError {
  readonly code = 'worker_id_taken' as const;
  constructor(readonly workerId: string) {
    super(`worker id ${JSON.stringify(workerId)} is already registered in this run; unregister it first or pick another id`);
  }
}

/**
 * The OS process of `spawnWorker` could not be started (no such command, no permission),
 * or exited before it was activated. The reservation was removed.
 *
 * @example
 * catch (e) { if (e instanceof SpawnFailedError) console.log(e.workerId, e.cause) }
 */
export class SpawnFailedError extends ArborError {
  readonly code = 'spawn_failed' as const;
  constructor(readonly workerId: string, detail: string, cause?: unknown) {
    super(`worker ${JSON.stringify(workerId)} could not be spawned: ${detail}; check the command, its arguments and cwd`, {
      cause: cause instanceof Error ? cause : undefined,
    });
  }
}

/**
 * `spawnWorker` started the process but could not activate its entry (the reservation
 * vanished, or the process died before activation). The process was killed and the entry
 * removed.
 *
 * @example
 * catch (e) { if (e instanceof ActivationFailedError) console.log(e.outcome) }
 */
export class ActivationFailedError extends ArborError {
  readonly code = 'activation_failed' as const;
  constructor(readonly workerId: string, readonly outcome: string) {
    super(`worker ${JSON.stringify(workerId)} was spawned but not activated (${outcome}); it was killed and unregistered`);
  }
}
