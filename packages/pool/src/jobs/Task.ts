import { createHash } from 'node:crypto';
import { InvalidOptionError } from '@arbor/core';

declare const taskTypes: unique symbol;

/**
 * A task a job pool runs: an export of a module (by URL or file path, and export name), or
 * function source (opt-in). `A` is the tuple of its arguments, `R` its result (a promise's
 * value): `run(task, args)` is typed by them.
 *
 * @example
 * const thumb = defineTask<[Uint8Array, number], Uint8Array>(new URL('./thumb.js', import.meta.url), 'thumbnail');
 */
export type Task<A extends readonly unknown[] = any, R = unknown> =
  | { readonly kind: 'module'; readonly url: string; readonly name: string; readonly [taskTypes]?: { readonly args: A; readonly result: R } }
  | { readonly kind: 'source'; readonly source: string; readonly hash: string; readonly [taskTypes]?: { readonly args: A; readonly result: R } };

/** The argument tuple of a task. */
export type TaskArgs<T> = T extends Task<infer A, any> ? A : never;
/** The result of a task (awaited). */
export type TaskResult<T> = T extends Task<any, infer R> ? Awaited<R> : never;

/**
 * Names a task: the export `name` of the module at `module` (a `file:` URL or an absolute
 * path; for Python workers a `.py` file and a function in it). Workers import the module
 * once and cache it, so a task may use imports and module state. The types are yours to
 * state: they are what `run` checks the arguments and result against.
 *
 * @example
 * const add = defineTask<[number, number], number>(new URL('./math.js', import.meta.url), 'add');
 * await pool.run(add, [1, 2]); // 3
 */
export function defineTask<A extends readonly unknown[], R>(module: URL | string, name: string): Task<A, R> {
  const url = module instanceof URL ? module.href : module;
  if (typeof url !== 'string' || url.length === 0) throw new InvalidOptionError('defineTask: module', 'a file: URL (new URL("./task.js", import.meta.url)) or an absolute path', module);
  if (typeof name !== 'string' || name.length === 0) throw new InvalidOptionError('defineTask: name', 'the name of an export of the module (a function)', name);
  return { kind: 'module', url, name };
}

const sourceCache = new Map<string, string>();

/**
 * Ships a function's source to the workers (an explicit opt-in): it may not close over
 * anything or import (it is evaluated alone in the worker, cached there by hash). Prefer
 * `defineTask`, which keeps closures and imports.
 *
 * @example
 * const square = taskFromSource((n: number) => n * n);
 * await pool.run(square, [7]); // 49
 */
export function taskFromSource<A extends readonly unknown[], R>(fn: (...args: A) => R): Task<A, R> {
  if (typeof fn !== 'function') throw new InvalidOptionError('taskFromSource: fn', 'a function whose source stands alone (no closure, no import)', fn);
  const source = fn.toString();
  let hash = sourceCache.get(source);
  if (hash === undefined) {
    hash = createHash('sha256').update(source).digest('base64url').slice(0, 22);
    sourceCache.set(source, hash);
  }
  return { kind: 'source', source, hash };
}

/** Whether `t` is a task (from defineTask or taskFromSource). @internal */
export function isTask(t: unknown): t is Task {
  const k = (t as { kind?: unknown } | null)?.kind;
  return (k === 'module' && typeof (t as { url?: unknown }).url === 'string') || (k === 'source' && typeof (t as { source?: unknown }).source === 'string');
}

/** The request argument the task runners take (`$task`). @internal */
export interface TaskFrame {
  /** Module URL (Node) or file path (Python), with `n`, the export. */
  readonly u?: string;
  readonly n?: string;
  /** Function source and its hash (sent until the worker has it cached: then `h` alone). */
  readonly s?: string;
  readonly h?: string;
  readonly a: readonly unknown[];
}
