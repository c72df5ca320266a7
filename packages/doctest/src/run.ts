import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How one block's run ended. `leftovers` are pids still carrying the run's marker after it. */
export interface BlockRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly leftovers: readonly number[];
}

const MARKER = 'ARBOR_DOCTEST_RUN';

/** Pids whose environment carries `MARKER=nonce` (the block's process and all it started). */
function marked(nonce: string): number[] {
  const needle = `${MARKER}=${nonce}`;
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(needle)) pids.push(Number(name));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

/**
 * Runs a compiled block with `node` in its own process group, in a fresh directory that is
 * its working directory, HOME, TMPDIR and XDG_DATA_HOME, and waits at most `timeoutMs`. Every process it started is found afterwards by
 * an environment marker, reported in `leftovers` and killed, so no run leaks a process.
 *
 * @example
 * const r = await runBlock('/repo/packages/doctest/.blocks/000-README_md-L10.js', { timeoutMs: 30_000 });
 */
export async function runBlock(jsPath: string, options: { readonly timeoutMs: number }): Promise<BlockRun> {
  const nonce = randomUUID();
  const home = mkdtempSync(join(tmpdir(), 'arbor-doctest-'));
  const child = spawn(process.execPath, [jsPath], {
    cwd: home,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, [MARKER]: nonce, HOME: home, XDG_DATA_HOME: join(home, 'data'), TMPDIR: home, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
  child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
  }, options.timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  // Give processes the block stopped a moment to vanish before looking for leftovers.
  let leftovers = marked(nonce);
  for (let i = 0; i < 20 && leftovers.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    leftovers = marked(nonce);
  }
  for (const pid of leftovers) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
  rmSync(home, { recursive: true, force: true });
  return { code, signal, timedOut, stdout, stderr, leftovers };
}
