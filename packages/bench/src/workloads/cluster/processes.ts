/**
 * The OS processes one cluster workload starts: its own nats-server(s) (random 127.0.0.1
 * port, from `@arbor/test-support`) and Node children (`process.execPath`) that print one
 * JSON line `{"ready":true,...}` when they are up. `stopAll()` ends every one of them by
 * pid and waits for the exits; the workloads call it in `finally`, so an error stops them
 * too. Every pid is also tracked for the bench's leftover check.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startNatsServer, type NatsServer, type NatsServerOptions } from '@arbor/test-support';
import { trackChild, trackPid } from '../workers/children.js';

/** A Node child of a cluster workload: its process and the fields of its ready line. */
export interface ReadyChild {
  readonly proc: ChildProcess;
  readonly pid: number;
  readonly ready: Readonly<Record<string, unknown>>;
  /** Resolves once the process has exited. */
  readonly exited: Promise<void>;
}

/** A child module of this folder (`modules/<name>.js`, next to the compiled workload). */
export function clusterModule(name: 'clusterNode' | 'tcpEcho' | 'natsEcho'): string {
  return fileURLToPath(new URL(`./modules/${name}.js`, import.meta.url));
}

/**
 * The processes of one workload run.
 *
 * @example
 * const procs = new ClusterProcesses('remote_call_us');
 * try { const server = await procs.natsServer(); ... } finally { await procs.stopAll(); }
 */
export class ClusterProcesses {
  readonly #workload: string;
  readonly #servers: NatsServer[] = [];
  readonly #children: ReadyChild[] = [];

  constructor(workload: string) {
    this.#workload = workload;
  }

  /** Starts a nats-server of this workload (no JetStream unless asked). */
  async natsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
    const server = await startNatsServer({ jetstream: false, ...options });
    trackPid(server.pid);
    this.#servers.push(server);
    return server;
  }

  /** Starts `node <module> ...args` and waits (at most 20 s) for its ready line. */
  async child(module: string, args: readonly string[]): Promise<ReadyChild> {
    const proc = spawn(process.execPath, [module, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    trackChild(proc);
    const exited = new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) resolve();
      else proc.once('exit', () => resolve());
    });
    const pid = proc.pid;
    if (pid === undefined) throw new Error(`${this.#workload}: ${module} did not start`);
    const child = { proc, pid, exited };
    this.#children.push({ ...child, ready: {} });
    const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`${this.#workload}: ${module} not ready within 20 s: ${out}`)), 20_000);
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line !== undefined && out.includes('\n')) {
          clearTimeout(timer);
          try {
            resolve(JSON.parse(line) as Record<string, unknown>);
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        }
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.#workload}: ${module} exited (${code ?? signal}) before it was ready: ${out}`));
      });
    });
    return { ...child, ready };
  }

  /** Sends SIGKILL to a child by pid and waits for its exit. */
  async kill(child: ReadyChild): Promise<void> {
    if (child.proc.exitCode === null && child.proc.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await child.exited;
  }

  /** Ends every child (SIGKILL by pid) and every server (SIGTERM by pid), and waits for all. */
  async stopAll(): Promise<void> {
    await Promise.all(this.#children.splice(0).map((c) => this.kill(c)));
    await Promise.all(this.#servers.splice(0).map((s) => s.stop()));
  }
}
