import test from 'ava';
import { spawn } from 'node:child_process';
import { copyFileSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { open } from 'lmdb';
import { registryFileOptions, type WorkerEntry } from '../src/index.js';
import { killLeftovers, removeTempDirs, tempStorePath, track } from './helpers.js';

test.after.always(() => {
  removeTempDirs();
  killLeftovers();
});

const APP = fileURLToPath(new URL('./fixtures/registryApp.js', import.meta.url));

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
  return readdirSync(dirname(path)).filter((f) => f.startsWith(`${path.split('/').pop()!}.corrupt-`));
}

const gone = { pid: 999_999_999, startTime: 1, runId: 'old-run' };
function entry(i: number): WorkerEntry {
  return { workerId: `w${i}`, runId: 'old-run', status: 'reserved', owner: gone, actorId: null, osPid: null, startTime: null, pgid: null, fingerprint: null, reservedAt: 1, activatedAt: null, terminatingSince: null };
}

test('a truncated file that reads fine but crashes the first write (SIGBUS) is caught by the probe: the app moves it aside and goes on', async (t) => {
  // One transaction per record (putSync): the same page layout on every run.
  const base = tempStorePath();
  const db = open({ path: base, ...registryFileOptions });
  for (let i = 0; i < 50; i++) db.putSync(['old-run', `w${i}`], entry(i));
  await db.close();
  const size = statSync(base).size;
  for (const fraction of [1 / 2, 2 / 3, 1 / 3, 3 / 4]) {
    const path = join(dirname(base), `cut-${Math.round(fraction * 100)}.mdb`);
    copyFileSync(base, path);
    truncateSync(path, Math.floor(size * fraction));
    const run = await openInChild(path);
    const what = `file of ${size} bytes cut to ${Math.floor(size * fraction)}`;
    t.is(run.signal, null, `${what}: the application died by a signal (${run.stderr})`);
    t.is(run.code, 0, `${what}: ${run.stderr}`);
    t.like(run.out, { reserved: 'reserved' }, what);
    // Used as it is (LMDB rewrote the missing pages), or moved aside; never a crash.
    t.true(movedAside(path).length <= 1, what);
    rmSync(`${path}-lock`, { force: true });
  }
});
