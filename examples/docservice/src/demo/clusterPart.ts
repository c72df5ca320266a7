/**
 * The demo's cluster part: two docservice nodes over a real nats-server. Node docs-a runs a
 * supervisor whose child, a WordIndex, is placed on docs-b; docs-b is SIGKILLed; docs-a sees
 * the node down (missed heartbeats), the child's link gives `noconnection`, and the
 * supervisor restarts the child on docs-a. Without `nats-server` on the PATH the part says
 * how to install it and is skipped (the demo still exits 0).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DOCUMENTS, LOOKUP } from '../cluster/documents.js';
import type { Progress } from './Progress.js';
import { alive, DEMO_MARKER, until } from './ServiceProcess.js';

/** What the cluster part saw; `ran: false` when nats-server is missing. */
export type ClusterSummary =
  | { readonly ran: false; readonly why: string }
  | {
      readonly ran: true;
      /** Where the child ran first and after the restart. */
      readonly firstOn: string;
      readonly restartedOn: string;
      /** SIGKILL of docs-b -> docs-a's nodedown, and nodedown -> the restarted child answering. */
      readonly nodedownMs: number;
      readonly restartMs: number;
      readonly lookupBefore: readonly string[];
      readonly lookupAfter: readonly string[];
      readonly asExpected: boolean;
      readonly stopCodes: readonly (number | null)[];
      readonly processesLeft: readonly number[];
    };

const NODE = fileURLToPath(new URL('../cluster/clusterNode.js', import.meta.url));
const INSTALL = 'apt-get install -y nats-server';

/** True when `nats-server` runs. */
export function hasNatsServer(): boolean {
  return spawnSync('nats-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A child process that prints JSON lines: each is queued until `next(event)` takes it. */
class JsonLines {
  readonly #seen: Record<string, unknown>[] = [];
  readonly #waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.#seen.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        return; // not a report
      }
      for (const w of this.#waiters.splice(0)) w();
    });
    this.exited = child.exitCode !== null ? Promise.resolve(child.exitCode) : (once(child, 'exit') as Promise<[number | null]>).then(([code]) => code);
  }

  /** The first `event` line (waits up to `ms`); rejects if the process exits first or time runs out. */
  async next(event: string, ms = 15_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + ms;
    let gone = false;
    void this.exited.then(() => (gone = true));
    for (;;) {
      const i = this.#seen.findIndex((e) => e.event === event);
      if (i >= 0) return this.#seen.splice(i, 1)[0]!;
      if (gone) throw new Error(`the node exited before reporting ${event}`);
      if (Date.now() > deadline) throw new Error(`no ${event} report within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** Starts nats-server on a random 127.0.0.1 port (read from its ports file). */
async function startNats(dir: string, token: string): Promise<{ child: ChildProcess; url: string }> {
  const conf = join(dir, 'nats.conf');
  writeFileSync(conf, `listen: 127.0.0.1:-1\nports_file_dir: "${dir}"\n`);
  const child = spawn('nats-server', ['-c', conf], { stdio: 'ignore', env: { ...process.env, [DEMO_MARKER]: token } });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const file = readdirSync(dir).find((f) => f.endsWith('.ports'));
    if (file !== undefined) {
      try {
        return { child, url: (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nats: string[] }).nats[0]! };
      } catch {
        /* written partly: read again */
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  throw new Error('nats-server did not report its port');
}

function startNode(url: string, name: string, role: 'worker' | 'supervisor', peer: string, token: string): JsonLines {
  const child = spawn(process.execPath, [NODE, url, name, role, peer], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, [DEMO_MARKER]: token } });
  return new JsonLines(child);
}

/**
 * Runs the cluster part and prints its story lines.
 *
 * @example
 * const cluster = await runClusterPart(out, token);
 */
export async function runClusterPart(out: Progress, token: string): Promise<ClusterSummary> {
  if (!hasNatsServer()) {
    out.line(`cluster part skipped: nats-server is not on the PATH (install it: ${INSTALL})`);
    return { ran: false, why: 'nats-server is not on the PATH' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'docservice-nats-'));
  const nodes: JsonLines[] = [];
  let nats: ChildProcess | undefined;
  try {
    const server = await startNats(dir, token);
    nats = server.child;
    const b = startNode(server.url, 'docs-b', 'worker', 'docs-a', token);
    nodes.push(b);
    await b.next('ready');
    const a = startNode(server.url, 'docs-a', 'supervisor', 'docs-b', token);
    nodes.push(a);
    await a.next('ready');
    out.line(`cluster: two nodes over a real nats-server (pid ${String(nats.pid)}, ${server.url}); docs-a supervises a WordIndex placed with remote(...)`);
    const first = await a.next('child');
    out.line(`  the child runs on ${String(first.where)} (actor ${String(first.id)}); ${DOCUMENTS.length} documents indexed: "${LOOKUP}" → ${(first.lookup as string[]).join(', ')}`);
    out.line(`  fault: docs-b SIGKILLed (pid ${String(b.child.pid)}), the node the child runs on`);
    const killedAt = performance.now();
    b.child.kill('SIGKILL');
    const down = await a.next('nodedown');
    const nodedownMs = Math.round(performance.now() - killedAt);
    const restarted = await a.next('restarted');
    const restartMs = Number(restarted.afterNodedownMs);
    out.line(`     → docs-a saw docs-b down (${String(down.reason)}) ${nodedownMs} ms after the SIGKILL (heartbeats every 100 ms, down after 500 ms); the child's link gave noconnection`);
    out.line(`     → the supervisor restarted the child on ${String(restarted.where)} ${restartMs} ms later (${restarted.local === true ? 'a local child now' : 'remote'}) and indexed again: "${LOOKUP}" → ${(restarted.lookup as string[]).join(', ')}`);
    a.child.kill('SIGTERM');
    const stopCodes = [await a.exited, await b.exited];
    nats.kill('SIGTERM');
    await once(nats, 'exit');
    const pids = [a.child.pid, b.child.pid, nats.pid].filter((p): p is number => p !== undefined);
    await until(() => pids.every((p) => !alive(p)), 5_000);
    const processesLeft = pids.filter(alive);
    const asExpected = first.where === 'docs-b' && restarted.where === 'docs-a' && JSON.stringify(first.lookup) === JSON.stringify(restarted.lookup) && stopCodes[0] === 0;
    out.line(`  stopped: docs-a with SIGTERM (exit code ${String(stopCodes[0])}), nats-server; processes of this part left: ${processesLeft.length === 0 ? 'none' : processesLeft.join(', ')}`);
    return {
      ran: true,
      firstOn: String(first.where),
      restartedOn: String(restarted.where),
      nodedownMs,
      restartMs,
      lookupBefore: first.lookup as string[],
      lookupAfter: restarted.lookup as string[],
      asExpected,
      stopCodes,
      processesLeft,
    };
  } finally {
    // Only after a failure is anything still running here.
    for (const child of [...nodes.map((n) => n.child), nats]) if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
