/**
 * `@arbor/worker-profiles/worker`: the worker side of a Node worker (thread, IPC child or
 * stdio child). Kept free of `@arbor/core`, so a worker starts fast.
 *
 * @example
 * import { serveWorker } from '@arbor/worker-profiles/worker';
 * export const handlers = { add: (x: number) => x + 1 };
 * serveWorker(handlers);
 */
export { serveWorker } from './serveWorker.js';
export { TRANSPORT_ENV } from './transports.js';
export type { TaskContext, WorkerApi } from '../contract/Handlers.js';
