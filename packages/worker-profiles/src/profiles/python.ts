import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { InvalidOptionError } from '@arbor/core';
import type { WorkerProfile } from '../contract/WorkerProfile.js';
import { stringsOf } from './nodeProcess.js';
import { checkStdioOptions, stdioProfileOf, type StdioProfileOptions } from './stdio.js';

/** Options of {@link pythonProfile}. */
export interface PythonProfileOptions extends Omit<StdioProfileOptions, 'command'> {
  /** A `.py` file whose `HANDLERS` dict (or public top-level functions) is served. */
  readonly script?: string;
  /** An importable module name (instead of `script`). */
  readonly module?: string;
  /** The interpreter (default `python3`); resolved once to its real path (a pyenv shim costs ~75 ms per start). */
  readonly python?: string;
  /** Interpreter flags before the runtime's path, e.g. `['-X', 'dev']`. */
  readonly args?: readonly string[];
}

/**
 * The Python runtime shipped in this package (`python/arbor_worker.py`).
 *
 * @example
 * spawn('python3', ['-u', PYTHON_RUNTIME_PATH, 'handlers.py']);
 */
export const PYTHON_RUNTIME_PATH = fileURLToPath(new URL('../../../python/arbor_worker.py', import.meta.url));

/**
 * The task runner for job pools shipped in this package (`python/arbor_tasks.py`): a
 * handlers script serving one handler, `$task`, whose argument `{ u, n, a }` names a `.py`
 * file (a path or `file:` URL), a function in it and its positional arguments. Each file is
 * imported once per worker, so its module state stays across calls; async functions are
 * awaited. An unknown file or function fails the request with code `task_not_found`.
 *
 * @example
 * interface Tasks { $task(arg: { u: string; n: string; a: unknown[] }): unknown }
 * const profile = pythonProfile<Tasks>({ script: PYTHON_TASKS_PATH });
 * const worker = await startWorker(system, { profile });
 * await worker.request('$task', { u: '/app/tasks.py', n: 'count', a: [1] }); // 1
 */
export const PYTHON_TASKS_PATH = fileURLToPath(new URL('../../../python/arbor_tasks.py', import.meta.url));

const resolved = new Map<string, Promise<string>>();

/**
 * The interpreter's real path (`sys.executable`), asked once per command and cached, so a
 * pyenv shim is not paid at every start. Rejects when the command cannot run.
 *
 * @example
 * const python = await resolvePython(); // '/root/.pyenv/versions/3.11.7/bin/python3.11'
 */
export function resolvePython(command = 'python3'): Promise<string> {
  let found = resolved.get(command);
  if (found === undefined) {
    found = new Promise<string>((resolve, reject) => {
      execFile(command, ['-c', 'import sys; print(sys.executable)'], { timeout: 30_000 }, (error, stdout) => {
        const path = String(stdout).trim();
        if (error !== null || path === '') reject(new Error(`cannot run ${JSON.stringify(command)} to find its interpreter: ${error?.message ?? 'it printed no sys.executable'}`));
        else resolve(path);
      });
    });
    found.catch(() => resolved.delete(command));
    resolved.set(command, found);
  }
  return found;
}

/**
 * Python workers over stdio, served by the package's `arbor_worker.py` (standard library
 * only, Python 3.8+): `python3 arbor_worker.py <script|module>` serves the module's
 * `HANDLERS` dict, else its public top-level functions. A start fails with the import error
 * quoted from stderr.
 *
 * @example
 * interface PyApi { add(arg: { a: number; b: number }): number }
 * const profile = pythonProfile<PyApi>({ script: fileURLToPath(new URL('./worker.py', import.meta.url)) });
 */
export function pythonProfile<H>(options: PythonProfileOptions): WorkerProfile<H> {
  checkStdioOptions('pythonProfile', options as StdioProfileOptions, ['script', 'module', 'python']);
  const target = options.script ?? options.module;
  if (typeof target !== 'string' || target === '' || (options.script !== undefined && options.module !== undefined)) {
    throw new InvalidOptionError('pythonProfile: script', 'a .py path, or give { module } (an importable name) instead, not both', target);
  }
  const python = options.python ?? 'python3';
  if (typeof python !== 'string' || python === '') throw new InvalidOptionError('pythonProfile: python', 'an interpreter command (python3)', python);
  const flags = stringsOf('pythonProfile: args', options.args);
  return stdioProfileOf<H>('python', options, async () => {
    const command = await resolvePython(python);
    return { command, args: ['-u', ...flags, PYTHON_RUNTIME_PATH, target], meta: { python: command, target } };
  });
}
