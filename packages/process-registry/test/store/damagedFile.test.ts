import test from 'ava';
import { spawn } from 'node:child_process';
import { copyFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { open } from 'lmdb';
import { registryFileOptions, type WorkerEntry } from '../../src/index.js';
import { APP, movedAside, openInChild } from '../support/appProcess.js';
import { cleanUpFile, tempStorePath, track } from '../support/helpers.js';

test.after.always(cleanUpFile);

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

test('a commit that fails (a short write under a file size limit) rejects the call with StoreWriteError, and lmdb-js commitError is handled (no unhandled rejection)', async (t) => {
  const path = tempStorePath();
  // ulimit -f counts blocks of 1024 (bash) or 512 bytes (dash): either way the file stops
  // within ~200 KB, in the middle of a page, so the commit fails with a short write (EIO).
  // (At a page boundary it would fail with EFBIG, whose message overflows a 100-byte
  // buffer in lmdb's C code and corrupts the heap: an lmdb bug no caller can catch.)
  const child = spawn('sh', ['-c', 'ulimit -f 201 && exec "$0" "$@"', process.execPath, APP, JSON.stringify({ path, mode: 'fill' })], { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child.pid);
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.on('close', (c, s) => r([c, s])));
  t.is(signal, null, stderr.slice(-500));
  t.is(code, 0, stderr.slice(-500));
  const lines = stdout.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, any>);
  t.deepEqual(lines.filter((l) => 'unhandled' in l), [], 'no unhandled rejection');
  const out = lines.find((l) => 'count' in l)!;
  t.true(out.count > 1, 'some writes were committed before the limit');
  t.like(out.error, { name: 'StoreWriteError', code: 'store_write_failed' });
  t.regex(out.error.message, /could not commit a write to .*registry\.mdb \(Input\/output error\)/);
});
