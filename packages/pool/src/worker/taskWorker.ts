/**
 * `@arbor/pool/task-worker`: the worker module of Node job pools (threads and Node
 * processes). It serves one method, `$task`: it imports the task's module once (cached by
 * URL) and calls the named export with the job's arguments and a `TaskContext` last
 * (`{ signal }`, which fires when the job is killed or times out); function-source tasks are
 * evaluated once per hash. It imports nothing of `@arbor/core`, so a worker starts fast.
 *
 * @example
 * const pool = await JobPool.start(system, { name: 'thumbs', profile: threadProfile({ module: TASK_WORKER_URL }) });
 */
import { pathToFileURL } from 'node:url';
import { serveWorker, type TaskContext } from '@arbor/worker-profiles/worker';

interface TaskFrame {
  readonly u?: string;
  readonly n?: string;
  readonly s?: string;
  readonly h?: string;
  readonly a: readonly unknown[];
}

type Fn = (...args: unknown[]) => unknown;
const modules = new Map<string, Promise<Record<string, unknown>>>();
const sources = new Map<string, Fn>();

function load(url: string): Promise<Record<string, unknown>> {
  let m = modules.get(url);
  if (m === undefined) {
    const href = url.startsWith('/') ? pathToFileURL(url).href : url;
    m = import(href) as Promise<Record<string, unknown>>;
    m.catch(() => modules.delete(url)); // a failed import is retried by the next job
    modules.set(url, m);
  }
  return m;
}

function fromSource(source: string, hash: string): Fn {
  let fn = sources.get(hash);
  if (fn === undefined) {
    fn = (0, eval)(`(${source})`) as Fn;
    if (typeof fn !== 'function') throw new TypeError(`the task source of hash ${hash} is not a function`);
    sources.set(hash, fn);
  }
  return fn;
}

const handlers = {
  async $task(frame: TaskFrame, ctx: TaskContext): Promise<unknown> {
    if (frame.s !== undefined && frame.h !== undefined) return fromSource(frame.s, frame.h)(...frame.a, ctx);
    const mod = await load(frame.u!);
    const fn = mod[frame.n!];
    if (typeof fn !== 'function') {
      throw Object.assign(new TypeError(`task module ${frame.u} has no exported function ${JSON.stringify(frame.n)} (exports: ${Object.keys(mod).join(', ') || 'none'})`), { code: 'unknown_task' });
    }
    return (fn as Fn)(...frame.a, ctx);
  },
};

serveWorker(handlers);
