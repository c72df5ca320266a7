import type { ReadyFrame } from '../contract/frames.js';
import { FrameServer } from './FrameServer.js';
import { detectTransport } from './transports.js';

let served = false;

/**
 * Serves `handlers` to the parent that started this module (a `threadProfile`,
 * `nodeProcessProfile` or `stdioProfile` worker): picks the transport (the thread's
 * MessagePort, Node IPC, or u32 frames on stdio), sends READY with the method names and the
 * pid, then runs each request on its handler. A handler gets its argument and, when it
 * declares a second parameter, a `TaskContext` whose `signal` fires if the parent cancels.
 * The worker exits (code 0) when the parent closes the channel (port close, IPC disconnect,
 * stdin EOF). An uncaught error, a handler's unawaited rejection included, crashes the
 * worker: the parent sees the exit and settles every request in flight.
 *
 * In stdio mode, fd 1 carries frames only: `console.log` and `process.stdout.write` go to stderr.
 *
 * @example
 * import { serveWorker, type TaskContext } from '@arbor/worker-profiles/worker';
 * export const handlers = {
 *   add: (x: number) => x + 1,
 *   async sleep(ms: number, { signal }: TaskContext) { await setTimeout(ms, undefined, { signal }); },
 * };
 * export type Api = typeof handlers;
 * serveWorker(handlers);
 */
export function serveWorker(handlers: object): void {
  if (typeof handlers !== 'object' || handlers === null) throw new TypeError(`serveWorker: handlers must be an object of functions, got: ${handlers === null ? 'null' : typeof handlers}`);
  if (served) throw new Error('serveWorker: already serving in this worker; call it once, with every handler in one object');
  const transport = detectTransport();
  const server = new FrameServer(handlers, transport.write);
  served = true;
  const ready: ReadyFrame = { t: 'ready', pid: process.pid, methods: server.methods, meta: { transport: transport.kind, node: process.versions.node } };
  transport.write(ready, undefined);
  transport.listen(server.receive, () => {
    server.close();
    process.exit(0);
  });
}
