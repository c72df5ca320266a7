/** Arbor nodes as child processes driven over stdin/stdout (see test/fixtures/clusterNode.ts), for the real-NATS tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../fixtures/clusterNode.js', import.meta.url));

/** Every pid `NodeProcess.start` forked in this test file (each file asserts they are gone). */
export const startedPids: number[] = [];

/** What the `report` command answers. */
export interface Report {
  readonly events: { type: 'nodeup' | 'nodedown'; node: string; incarnation: string; reason?: string }[];
  readonly exits: { type: string; reason: string; node: string }[];
  readonly nodes: { name: string; incarnation: string }[];
}

/** A node process driven over stdin/stdout (see test/fixtures/clusterNode.ts). */
export class NodeProcess {
  #next = 0;
  #out = '';
  readonly #waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    readonly proc: ChildProcess,
    readonly incarnation: string,
  ) {
    this.exited = new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r() : proc.once('exit', () => r())));
    proc.stdout!.on('data', (d: Buffer) => this.#read(d.toString()));
  }

  /** Forks node `name` on `servers` (tried in order) and waits for its `ready` line. */
  static async start(name: string, servers: readonly string[], timing: { heartbeatMs: number; downAfterMs: number }, env: Record<string, string> = {}): Promise<NodeProcess> {
    const proc = spawn(process.execPath, [FIXTURE, servers.join(','), name, String(timing.heartbeatMs), String(timing.downAfterMs)], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    startedPids.push(proc.pid!);
    let out = '';
    const onData = (d: Buffer): void => void (out += d.toString());
    proc.stdout!.on('data', onData);
    try {
      const incarnation = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`node ${name} did not start: ${out}`)), 15_000);
        const check = (): void => {
          const m = /ready (\S+)\n/.exec(out);
          if (m !== null) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        };
        proc.stdout!.on('data', check);
        proc.once('exit', (code) => reject(new Error(`node ${name} exited with ${code}: ${out}`)));
      });
      proc.stdout!.removeAllListeners('data');
      const node = new NodeProcess(name, proc, incarnation);
      node.#read(out.slice(out.indexOf('\n') + 1));
      return node;
    } catch (e) {
      proc.kill('SIGKILL');
      throw e;
    }
  }

  #read(text: string): void {
    this.#out += text;
    let nl: number;
    while ((nl = this.#out.indexOf('\n')) >= 0) {
      const line = this.#out.slice(0, nl);
      this.#out = this.#out.slice(nl + 1);
      if (!line.startsWith('reply ')) continue;
      const r = JSON.parse(line.slice(6)) as { id: number; ok?: unknown; error?: string };
      const w = this.#waiting.get(r.id);
      this.#waiting.delete(r.id);
      if (r.error !== undefined) w?.reject(new Error(`${this.name}: ${r.error}`));
      else w?.resolve(r.ok);
    }
  }

  /** Sends a command and waits for its reply (bounded). */
  ask<T>(op: string, args: Record<string, unknown> = {}, ms = 40_000): Promise<T> {
    const id = ++this.#next;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`${this.name} did not answer ${op} within ${ms} ms`));
      }, ms);
      this.#waiting.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.proc.stdin!.write(`${JSON.stringify({ id, op, ...args })}\n`);
    });
  }

  report(): Promise<Report> {
    return this.ask('report');
  }

  async kill(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
    await this.exited;
  }
}

