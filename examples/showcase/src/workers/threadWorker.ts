/**
 * The thread worker of part seven: a module that a worker thread runs, serving its
 * handlers with `serveWorker` (from `@arbor/worker-profiles/worker`, which does not load
 * @arbor/core, so the thread starts fast). `workers.ts` starts it with
 * `threadProfile<ThreadApi>({ module: new URL('./threadWorker.js', import.meta.url) })`.
 */
import { createHash } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { serveWorker } from '@arbor/worker-profiles/worker';

/**
 * The handlers this thread serves; `ThreadApi` (their type) makes the parent's
 * `request(method, arg)` typed.
 *
 * @example
 * const sum = await workerOf<ThreadApi>(system, 'thread').request('sha256', 'arbor'); // 'b86c24fb…'
 */
export const handlers = {
  /** The SHA-256 of a string, in hex. */
  sha256: (text: string) => createHash('sha256').update(text).digest('hex'),
  /** The n-th Fibonacci number, computed the slow way (CPU work off the main thread). */
  fib(n: number): number {
    return n < 2 ? n : handlers.fib(n - 1) + handlers.fib(n - 2);
  },
  /** Who serves: the Node threadId and the OS thread id (from `/proc/thread-self`, Linux). */
  whoami: () => ({ threadId, osThreadId: Number(readlinkSync('/proc/thread-self').split('/').pop()) }),
};

/**
 * The thread worker's API, for `threadProfile<ThreadApi>` and `workerOf<ThreadApi>`.
 *
 * @example
 * const n = await workerOf<ThreadApi>(system, 'thread').request('fib', 25); // 75025
 */
export type ThreadApi = typeof handlers;

serveWorker(handlers);
