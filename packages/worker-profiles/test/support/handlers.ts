/** The test worker's handlers, as source for evalThreadProfile, and their type. */
export const HANDLERS = String.raw`{
  add: (x) => x + 1,
  echo: (x) => x,
  sleep: (ms, { signal }) => new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve(ms), ms);
    signal.addEventListener('abort', () => { clearTimeout(t); reject(new Error('aborted')); });
  }),
  hang: () => new Promise(() => {}),
  fail: (msg) => { const e = new TypeError(msg); e.code = 'E_BAD'; throw e; },
  exit: (code) => process.exit(code),
  stopPings: () => { globalThis.__arborState.ignorePings = true; return true; },
  grow: (n) => { (globalThis.__keep ??= []).push(new Array(n).fill(1.5)); return globalThis.__keep.length; },
}`;

export interface TestApi {
  add(x: number): number;
  echo(x: unknown): unknown;
  sleep(ms: number): Promise<number>;
  hang(x: null): Promise<never>;
  fail(msg: string): never;
  exit(code: number): never;
  stopPings(x: null): boolean;
  grow(n: number): number;
}
