import { realpathSync, statfsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, extname, isAbsolute, join, resolve, sep } from 'node:path';
import { checkTimeout, InvalidOptionError, type TimeoutRule } from '@arbor/core';

/**
 * Options of a {@link ProcessRegistry}. Every field is optional.
 *
 * @example
 * childSpec(ProcessRegistry, { application: 'billing', shutdownGraceMs: 2000 }, { id: 'process-registry' })
 */
export interface ProcessRegistryOptions {
  /**
   * The LMDB file. Default: `<data dir>/arbor/<application>/process-registry.mdb` (see
   * {@link defaultRegistryPath}). A path under `/proc`, `/sys` or `/dev` (or on a proc or
   * sysfs mount, symlinks followed) is refused with `InvalidOptionError`.
   */
  readonly path?: string;
  /** Names the default path; default: the main script's name (`process.argv[1]`), else `default`. */
  readonly application?: string;
  /** Local name to register the registry actor under. */
  readonly name?: string;
  /** Milliseconds between SIGTERM and SIGKILL, in cleanup and at orderly stop (default 2000). */
  readonly shutdownGraceMs?: number;
  /** A reservation of this run older than this is resolved as abandoned by the sweep (default 60000). */
  readonly reservationTimeoutMs?: number;
  /** Milliseconds between sweeps of terminating entries and stale reservations (default 1000). */
  readonly sweepIntervalMs?: number;
  /** Run the orphan cleanup at start, in the background (default true). */
  readonly cleanupOnStart?: boolean;
  /** Probe an existing file in a throwaway process before opening it (default true; see docs). */
  readonly verifyOnOpen?: boolean;
}

/** Options with defaults applied. @internal */
export interface ResolvedRegistryOptions {
  readonly path: string;
  readonly name: string | undefined;
  readonly shutdownGraceMs: number;
  readonly reservationTimeoutMs: number;
  readonly sweepIntervalMs: number;
  readonly cleanupOnStart: boolean;
  readonly verifyOnOpen: boolean;
}

/**
 * The default LMDB path of an application: under `$XDG_DATA_HOME` (else `~/.local/share`)
 * on Linux, `~/Library/Application Support` on macOS, `%LOCALAPPDATA%` on Windows, and
 * the OS temp dir when there is no home directory.
 *
 * @example
 * defaultRegistryPath('billing') // '/home/me/.local/share/arbor/billing/process-registry.mdb'
 */
export function defaultRegistryPath(application: string): string {
  if (typeof application !== 'string' || !/^[\w.-]+$/.test(application) || application === '.' || application === '..') {
    throw new InvalidOptionError('defaultRegistryPath: application', 'letters, digits, ".", "_" or "-" (it names a directory)', application);
  }
  return join(dataDir(), 'arbor', application, 'process-registry.mdb');
}

function dataDir(): string {
  const env = process.env;
  let home: string;
  try {
    home = homedir();
  } catch {
    home = '';
  }
  if (process.platform === 'win32' && env['LOCALAPPDATA']) return env['LOCALAPPDATA'];
  if (process.platform === 'darwin' && home) return join(home, 'Library', 'Application Support');
  if (env['XDG_DATA_HOME'] && isAbsolute(env['XDG_DATA_HOME'])) return env['XDG_DATA_HOME'];
  if (home) return join(home, '.local', 'share');
  return tmpdir();
}

function defaultApplication(): string {
  const main = process.argv[1];
  const name = main === undefined ? '' : basename(main, extname(main));
  return /^[\w.-]+$/.test(name) ? name : 'default';
}

/** A delay or period that must pass before anything happens: above 0, and a timer Node keeps. */
const POSITIVE_MS: TimeoutRule = { min: 0, aboveMin: true, infinity: false };

function positiveMs(options: ProcessRegistryOptions, key: 'shutdownGraceMs' | 'reservationTimeoutMs' | 'sweepIntervalMs', fallback: number): number {
  const v = options[key];
  if (v === undefined) return fallback;
  return checkTimeout(`ProcessRegistry options.${key}`, v, POSITIVE_MS);
}

function optionalString(options: ProcessRegistryOptions, key: 'path' | 'application' | 'name'): string | undefined {
  const v = options[key];
  if (v !== undefined && (typeof v !== 'string' || v.length === 0)) throw new InvalidOptionError(`ProcessRegistry options.${key}`, 'a non-empty string', v);
  return v;
}

function optionalFlag(options: ProcessRegistryOptions, key: 'cleanupOnStart' | 'verifyOnOpen'): boolean {
  const v = options[key];
  if (v !== undefined && typeof v !== 'boolean') throw new InvalidOptionError(`ProcessRegistry options.${key}`, 'a boolean', v);
  return v ?? true;
}

/** Pseudo filesystems: no LMDB file can live there (and Node's recursive mkdir spins forever under /proc). */
const REFUSED_ROOTS = ['/proc', '/sys', '/dev'];
const PROC_SUPER_MAGIC = 0x9fa0;
const SYSFS_MAGIC = 0x62656572;

/** The real path of the nearest existing ancestor of `path` (symlinks followed), or undefined. */
function nearestExisting(path: string): string | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      return realpathSync(dir);
    } catch {
      if (dirname(dir) === dir) return undefined;
    }
  }
}

function under(path: string, root: string): boolean {
  return path === root || path.startsWith(root + sep);
}

/**
 * Refuses a store path where no LMDB file can live: under `/proc`, `/sys` or `/dev`, as
 * written or once symlinks are followed, or on a proc or sysfs mount anywhere. @internal
 */
export function checkStorePath(path: string): string {
  const absolute = resolve(path);
  const existing = nearestExisting(absolute);
  let pseudo = REFUSED_ROOTS.some((root) => under(absolute, root) || (existing !== undefined && under(existing, root)));
  if (!pseudo && existing !== undefined && process.platform === 'linux') {
    try {
      const type = statfsSync(existing).type;
      pseudo = type === PROC_SUPER_MAGIC || type === SYSFS_MAGIC;
    } catch {
      // unreadable: the store's open reports it
    }
  }
  if (pseudo) {
    throw new InvalidOptionError('ProcessRegistry options.path', 'a file path outside /proc, /sys and /dev (a directory the registry can create and write, e.g. under your data dir)', path);
  }
  return path;
}

/** Validates options (throwing `InvalidOptionError` naming the field) and applies defaults. @internal */
export function resolveRegistryOptions(options: ProcessRegistryOptions | undefined): ResolvedRegistryOptions {
  const o = options ?? {};
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new InvalidOptionError('ProcessRegistry options', 'an object (or undefined)', o);
  const application = optionalString(o, 'application');
  if (application !== undefined && (!/^[\w.-]+$/.test(application) || application === '.' || application === '..')) {
    throw new InvalidOptionError('ProcessRegistry options.application', 'letters, digits, ".", "_" or "-" (it names a directory)', application);
  }
  return {
    path: checkStorePath(optionalString(o, 'path') ?? defaultRegistryPath(application ?? defaultApplication())),
    name: optionalString(o, 'name'),
    shutdownGraceMs: positiveMs(o, 'shutdownGraceMs', 2000),
    reservationTimeoutMs: positiveMs(o, 'reservationTimeoutMs', 60_000),
    sweepIntervalMs: positiveMs(o, 'sweepIntervalMs', 1000),
    cleanupOnStart: optionalFlag(o, 'cleanupOnStart'),
    verifyOnOpen: optionalFlag(o, 'verifyOnOpen'),
  };
}
