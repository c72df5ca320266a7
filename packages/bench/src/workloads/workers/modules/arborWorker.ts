/**
 * Arbor's worker module (thread and node-process profiles alike): serves `inc: x => x + 1`
 * through `serveWorker`. The runtime entry is imported by name at run time, so this file
 * compiles before `@arbor/worker-profiles/worker` exists (see ../arbor.ts).
 */
const runtime = '@arbor/worker-profiles/worker';
const { serveWorker } = (await import(runtime)) as { serveWorker(handlers: Record<string, (arg: never) => unknown>): void };

export const handlers = {
  inc: (x: number): number => x + 1,
};

serveWorker(handlers);
