/**
 * The service as a child process of the demo: started with `node dist/src/main.js`, its
 * ready line read from stdout, its logs (stderr) appended to a file or passed through,
 * and every process of it marked with `DOCSERVICE_DEMO=<token>` in the environment so the
 * demo (and its test) can find whatever is left of it in /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openSync, closeSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The environment variable that marks the demo's processes. */
export const DEMO_MARKER = 'DOCSERVICE_DEMO';

/** What the service prints when it serves. */
export interface ReadyLine {
  readonly ready: true;
  readonly pid: number;
  readonly port: number;
  readonly endpoint: string;
  /** The observer page's URL with its token (started with `--observer`), else null. */
  readonly observerUrl: string | null;
  readonly python: boolean;
  readonly swept: readonly { readonly pid: number | null; readonly workerId: string; readonly outcome: string }[];
}

/** How to start it. */
export interface ServiceProcessOptions {
  readonly args: readonly string[];
  /** Marks every process of this run. */
  readonly token: string;
  /** Append the service's stderr here; or `'inherit'` to show it. */
  readonly logs: string | 'inherit';
  /** Its own process group, so a terminal's Ctrl-C reaches only the demo, which stops it once (default false). */
  readonly detached?: boolean;
}

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

/**
 * A running service process.
 *
 * @example
 * const service = await ServiceProcess.start({ args: ['--faults', dir], token, logs: '/tmp/docservice.log' });
 * service.kill('SIGKILL'); await service.exited;
 */
export class ServiceProcess {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly child: ChildProcess,
    readonly ready: ReadyLine,
  ) {
    this.exited = child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
      : (once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>).then(([code, signal]) => ({ code, signal }));
  }

  /** Starts the service and resolves once it printed its ready line (rejects if it exits first). */
  static async start(options: ServiceProcessOptions): Promise<ServiceProcess> {
    const fd = options.logs === 'inherit' ? undefined : openSync(options.logs, 'a');
    // Its stdin is a pipe the demo never writes: if the demo dies, the service sees EOF and stops in order.
    const child = spawn(process.execPath, [MAIN, ...options.args, '--stop-on-stdin-eof'], {
      stdio: ['pipe', 'pipe', fd ?? 'inherit'],
      env: { ...process.env, [DEMO_MARKER]: options.token },
      detached: options.detached === true,
    });
    if (fd !== undefined) closeSync(fd);
    const exit = once(child, 'exit').then(([code, signal]) => {
      throw new Error(`the service exited before it was ready (code ${String(code)}, signal ${String(signal)}); see ${options.logs === 'inherit' ? 'its stderr above' : options.logs}`);
    });
    const lines = createInterface({ input: child.stdout! });
    const first = once(lines, 'line').then(([line]) => JSON.parse(line as string) as ReadyLine);
    const ready = await Promise.race([first, exit]);
    exit.catch(() => undefined);
    return new ServiceProcess(child, ready);
  }

  get pid(): number {
    return this.ready.pid;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

/**
 * Whether a pid runs (a zombie does not), from /proc/PID/stat.
 *
 * @example
 * if (alive(4242)) console.log('still there');
 */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * The running pids whose environment holds `DOCSERVICE_DEMO=<token>`: whatever is left of
 * one demo run (the service, its Python workers, their children), this process excepted.
 *
 * @example
 * markedPids(token); // [] once the demo stopped everything it started
 */
export function markedPids(token: string): number[] {
  const needle = `${DEMO_MARKER}=${token}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(entry) !== process.pid && readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(needle) && alive(Number(entry))) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return found;
}

/**
 * Polls `cond` every 20 ms up to `timeoutMs`; resolves whether it held.
 *
 * @example
 * await until(() => !alive(pid), 3_000);
 */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}
