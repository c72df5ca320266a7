// Helpers for the damaged-file tests: the fixture application (fixtures/registryApp.ts) in
// its own process, recording orphans and opening (maybe damaged) files.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { eventually, track, trackRun } from './helpers.js';

export const APP = fileURLToPath(new URL('../fixtures/registryApp.js', import.meta.url));

/** How a child application process (test/fixtures/registryApp.ts) ended, and what it printed. */
export interface AppRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: Record<string, any> | undefined;
  readonly stderr: string;
}

/** Runs the fixture application in `open` mode on `path` (its own process: a crash of the binding kills only it). */
export function openInChild(path: string): Promise<AppRun> {
  const child = spawn(process.execPath, [APP, JSON.stringify({ path, mode: 'open' })], { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      const line = stdout.trim().split('\n').pop();
      let out: Record<string, any> | undefined;
      try {
        out = line ? (JSON.parse(line) as Record<string, any>) : undefined;
      } catch {
        out = undefined;
      }
      resolve({ code, signal, out, stderr: stderr.slice(-2000) });
    });
  });
}

/** The files a recovery moved aside next to `path`. */
export function movedAside(path: string): string[] {
  return readdirSync(dirname(path)).filter((f) => f.startsWith(`${basename(path)}.corrupt-`));
}


/** A recording application: its run id, its workers' pids, and every process of its run (workers and their children). */
export interface Recorded {
  readonly runId: string;
  readonly workers: number[];
  readonly all: number[];
  /** SIGKILLs the application (no shutdown hook runs), so that its workers become orphans. */
  kill(): Promise<void>;
}

/** Starts the fixture in `record` mode: a real registry on `path` records `workers` live workers (each with a child). */
export async function recordWorkers(path: string, workers: number): Promise<Recorded> {
  const child = spawn(process.execPath, [APP, JSON.stringify({ path, mode: 'record', workers })], { stdio: ['ignore', 'pipe', 'inherit'] });
  track(child.pid);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const lines = createInterface({ input: child.stdout! });
  const line = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', () => reject(new Error('the recording application exited before printing')));
  });
  const { runId, pids } = JSON.parse(line) as { runId: string; pids: number[] };
  for (const pid of pids) track(pid);
  if (!(await eventually(() => trackRun(runId).length === 2 * workers))) throw new Error('the workers did not all start their child');
  return {
    runId,
    workers: pids,
    all: trackRun(runId),
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
