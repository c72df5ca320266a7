/**
 * The URL of the Node task worker module (`@arbor/pool/task-worker`): the `module` of a
 * `threadProfile` or `nodeProcessProfile` whose workers run a job pool's tasks.
 *
 * @example
 * const profile = threadProfile({ module: TASK_WORKER_URL, capacity: 1 });
 */
export const TASK_WORKER_URL: URL = new URL('../worker/taskWorker.js', import.meta.url);
