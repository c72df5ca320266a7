/**
 * The owner-only files of a debug endpoint: its private directory, its TCP token and the
 * token file. Everything here is created with owner-only bits whatever the umask.
 * @internal
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, lstat, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { lstatSync, readFileSync } from 'node:fs';
import { EndpointDirectoryError } from './errors.js';

/**
 * Makes sure `dir` is a directory of this user's that only this user can enter (0700):
 * created if missing, narrowed if it is ours with wider bits, refused if it is a symlink,
 * not a directory, or another user's.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = await lstat(dir);
  if (st.isSymbolicLink()) throw new EndpointDirectoryError(dir, 'is a symbolic link');
  if (!st.isDirectory()) throw new EndpointDirectoryError(dir, 'is not a directory');
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  if (st.uid !== uid) throw new EndpointDirectoryError(dir, `belongs to uid ${st.uid}, not to this process's uid ${uid}`);
  if ((st.mode & 0o777) !== 0o700) await chmod(dir, 0o700);
}

/** A fresh random token (256 bits, URL-safe text). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares two tokens in constant time (over their hashes, so lengths do not leak either). */
export function tokensEqual(expected: string, got: unknown): boolean {
  if (typeof got !== 'string') return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(got).digest();
  return timingSafeEqual(a, b);
}

/** Writes `token` to `file` with mode 0600: written to a new 0600 file beside it, then renamed over. */
export async function writeTokenFile(file: string, token: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, `${token}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

/** Removes the token file if it still holds `token` (a newer endpoint on the same port keeps its own). */
export async function removeTokenFile(file: string, token: string): Promise<void> {
  try {
    if ((await readFile(file, 'utf8')).trim() === token) await unlink(file);
  } catch {
    // already gone
  }
}

/**
 * The token in `file`, or undefined if it cannot be read (missing, unreadable) or is not
 * a regular file of this user's (one planted by another user is not trusted).
 */
export function readTokenFile(file: string): string | undefined {
  try {
    const st = lstatSync(file);
    if (!st.isFile() || (typeof process.getuid === 'function' && st.uid !== process.getuid())) return undefined;
    const token = readFileSync(file, 'utf8').trim();
    return token === '' ? undefined : token;
  } catch {
    return undefined;
  }
}
