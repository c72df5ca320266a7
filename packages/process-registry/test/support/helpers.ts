import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { findMarkedProcesses, processStatus, readProcessStat } from '../../src/proc/procfs.js';

/** Every process a test file started (pid + start time), checked at the end of the file. */
const tracked = new Map<number, number | null>();

export function track(pid: number | undefined): number {
  if (pid === undefined) throw new Error('no pid to track');
  if (!tracked.has(pid)) tracked.set(pid, readProcessStat(pid)?.startTime ?? null);
  return pid;
}

/** Tracks every process carrying a run's markers (workers and grandchildren); returns their pids. */
export function trackRun(runId: string): number[] {
  return findMarkedProcesses(new Set([runId])).map((p) => track(p.pid));
}

/** Whether a tracked pid is still the process we started (not gone, not a zombie, not reused). */
export function isRunning(pid: number): boolean {
  return processStatus(pid, tracked.get(pid) ?? readProcessStat(pid)?.startTime ?? null) === 'running';
}

/**
 * For test.after.always: gives what we started up to `graceMs` to finish exiting on its own
 * (a fixture parent that printed `stopped` is still on its way out when the last test ends),
 * then kills whatever still runs and throws naming it, so a leak fails the file.
 */
export async function killLeftovers(graceMs = 5000): Promise<void> {
  const deadline = Date.now() + graceMs;
  while ([...tracked.keys()].some(isRunning) && Date.now() < deadline) await sleep(50);
  const left = [...tracked.keys()].filter(isRunning);
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  if (left.length > 0) throw new Error(`processes started by this test file survived it: ${left.join(', ')}`);
}

/** Every test file's `test.after.always`: the leak check first, then the temp dirs go. */
export async function cleanUpFile(): Promise<void> {
  try {
    await killLeftovers();
  } finally {
    removeTempDirs();
  }
}

/** Polls (every 20 ms) until `check` holds or `ms` (15 s) pass; returns whether it held. */
export { pollUntil as eventually } from '@arbor/test-support';

const dirs: string[] = [];
/** A fresh temp dir's LMDB path; removed by {@link removeTempDirs}. */
export function tempStorePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'arbor-procreg-'));
  dirs.push(dir);
  return join(dir, 'registry.mdb');
}
export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface ParentReady {
  readonly runId: string;
  readonly pids: number[];
  /** The parent's own start-up cleanup report. */
  readonly startup: { readonly orphanRuns: string[]; readonly orphans: unknown[]; readonly markedProcesses: unknown[] };
}

/** A running fixture parent (test/fixtures/parent.ts). */
export class Parent {
  readonly lines: Interface;
  #pending: ((line: string) => void)[] = [];
  #buffered: string[] = [];

  private constructor(readonly child: ChildProcess) {
    this.lines = createInterface({ input: child.stdout! });
    this.lines.on('line', (l) => {
      const waiter = this.#pending.shift();
      if (waiter) waiter(l);
      else this.#buffered.push(l);
    });
  }

  static async start(config: { path: string; workers: number; mode?: string; ignoreTerm?: boolean; exitWithParent?: boolean; graceMs?: number }): Promise<{ parent: Parent; ready: ParentReady }> {
    const script = fileURLToPath(new URL('../fixtures/parent.js', import.meta.url));
    const child = spawn(process.execPath, [script, JSON.stringify({ mode: 'normal', ...config })], { stdio: ['pipe', 'pipe', 'inherit'] });
    track(child.pid);
    const parent = new Parent(child);
    const ready = JSON.parse(await parent.nextLine()) as ParentReady;
    for (const pid of ready.pids) track(pid);
    return { parent, ready };
  }

  nextLine(ms = 20_000): Promise<string> {
    const b = this.#buffered.shift();
    if (b !== undefined) return Promise.resolve(b);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('fixture parent printed nothing in time')), ms);
      const onExit = (): void => reject(new Error('fixture parent exited before printing'));
      this.child.once('close', onExit);
      this.#pending.push((l) => {
        clearTimeout(timer);
        this.child.off('close', onExit);
        resolve(l);
      });
    });
  }

  async command(line: 'cleanup' | 'stop'): Promise<string> {
    this.child.stdin!.write(`${line}\n`);
    return this.nextLine();
  }

  /** SIGKILLs the parent (no shutdown hook runs) and waits for it to be gone. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGKILL');
      await exited;
    }
  }

  /** Waits for the parent to exit by itself (after a self-SIGKILL, say). */
  exited(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((r) => this.child.once('exit', () => r()));
  }
}

/** Starts `command` as an unrelated process of our own (tracked). */
export function startStranger(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  track(child.pid);
  return child;
}
