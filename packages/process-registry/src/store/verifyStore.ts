import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const LMDB_MAGIC = 0xbeefc0de;
/** What lmdb's C code prints (to stderr) when it meets an inconsistent free list or tree, and goes on. */
const LMDB_COMPLAINT = /duplicate value error|overlapping duplicate entry|page \d+ not found|Assertion .* failed/;
const PROBE = fileURLToPath(new URL('./probeStore.js', import.meta.url));

/**
 * Why an LMDB file cannot be used: `bad_header` (not an LMDB file: no magic number in its
 * first meta page), `probe_failed` (opening, reading or writing it crashed or failed a
 * throwaway process), or `open_failed` (the binding threw in this process).
 *
 * @example
 * const r: StoreDamage = { kind: 'bad_header', detail: 'file of 5 bytes' };
 */
export interface StoreDamage {
  readonly kind: 'bad_header' | 'probe_failed' | 'open_failed';
  readonly detail: string;
}

function headerDamage(path: string): StoreDamage | undefined {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return undefined; // no file yet: LMDB creates it
  }
  if (size === 0) return undefined;
  const buf = Buffer.alloc(32);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, 32, 0);
  } finally {
    closeSync(fd);
  }
  // The first meta page: the magic number sits at byte 24 on 64-bit builds, 16 on 32-bit ones.
  if (buf.readUInt32LE(24) === LMDB_MAGIC || buf.readUInt32LE(16) === LMDB_MAGIC) return undefined;
  return { kind: 'bad_header', detail: `no LMDB magic number in the first page (file of ${size} bytes)` };
}

/**
 * Checks an existing LMDB file before this process maps it: its header, then, in a
 * throwaway child process (a damaged file can crash the native binding, which no
 * try/catch survives), what the registry will do with it: open it read-write, read every
 * key and value, and commit writes (probeStore.ts), twice, each in a fresh process. A
 * truncated file often reads fine and faults (SIGBUS) only on the first write. Resolves with the damage found, or undefined if
 * the file is usable or absent. Never rejects.
 *
 * @example
 * const damage = await verifyStore('/var/lib/app/process-registry.mdb');
 */
export async function verifyStore(path: string, timeoutMs = 10_000): Promise<StoreDamage | undefined> {
  try {
    const header = headerDamage(path);
    if (header !== undefined) return header;
    statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    return { kind: 'open_failed', detail: String(e) };
  }
  // Twice, each in a fresh process: a write on a damaged file can itself leave it in a state
  // that only the next opener trips over (a page freed twice: LMDB aborts on an assertion),
  // and the next opener is the application. (A second open in the same process is not
  // fresh: lmdb-js keeps the environment.)
  return (await probeOnce(path, timeoutMs)) ?? probeOnce(path, timeoutMs);
}

function probeOnce(path: string, timeoutMs: number): Promise<StoreDamage | undefined> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PROBE, path], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 2000) stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ kind: 'probe_failed', detail: String(e) });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const said = stderr.trim().split('\n').slice(-3).join(' | ');
      if (code !== 0) resolve({ kind: 'probe_failed', detail: `probe exited with ${signal ?? `code ${code}`}: ${said}` });
      // LMDB went on, but said the free-page list is inconsistent: pages handed out twice
      // corrupt the file a few writes later (seen: the probe passes twice, the third opener aborts).
      else if (LMDB_COMPLAINT.test(stderr)) resolve({ kind: 'probe_failed', detail: `LMDB reported damage: ${said}` });
      else resolve(undefined);
    });
  });
}
