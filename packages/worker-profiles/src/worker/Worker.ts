import { startWorker, workerOf, workerSpec } from './WorkerHandle.js';

/**
 * The client of the worker actor kind, in the shape every Arbor kind has: `start`,
 * `childSpec`, `of`, then the verbs on the {@link WorkerHandle} they give (`request`,
 * `healthCheck`, `stats`, `metadata`, `recycle`, `stop`). The members are `startWorker`,
 * `workerSpec` and `workerOf` under shorter names; both spellings keep working.
 *
 * @example
 * const api = pythonProfile<PyApi>({ script: 'handlers.py' });
 * await Supervisor.start(system, { strategy: 'one_for_one', children: [Worker.childSpec({ profile: api, name: 'py' })] });
 * await Worker.of<PyApi>(system, 'py').request('add', { a: 1, b: 2 });
 * const spare = await Worker.start(system, { profile: api }); // WorkerHandle<PyApi>
 */
export const Worker = {
  /** The same as {@link startWorker}: starts a worker actor, resolves with its handle once it is READY. */
  start: startWorker,
  /** The same as {@link workerSpec}: the worker's child spec for a supervisor. */
  childSpec: workerSpec,
  /** The same as {@link workerOf}: the handle of a running worker, by ref or registered name. */
  of: workerOf,
} as const;
