import { homedir, tmpdir } from 'node:os';
import { basename, extname, isAbsolute, join } from 'node:path';
import { InvalidOptionError } from '@arbor/core';

/**
 * Options of a {@link ProcessRegistry}. Every field is optional.
 *
 * @example
 * childSpec(ProcessRegistry, { application: 'billing', shutdownGraceMs: 2000 }, { id: 'process-registry' })
 */
export interface ProcessRegistryOptions {
  /** The LMDB file. Default: `<data dir>/arbor/<application>/process-registry.mdb` (see {@link defaultRegistryPath}). */
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

function positiveMs(options: ProcessRegistryOptions, key: 'shutdownGraceMs' | 'reservationTimeoutMs' | 'sweepIntervalMs', fallback: number): number {
  const v = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 2_147_483_647) {
    throw new InvalidOptionError(`ProcessRegistry options.${key}`, 'a positive number of milliseconds (at most 2147483647)', v);
  }
  return v;
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

/** Validates options (throwing `InvalidOptionError` naming the field) and applies defaults. @internal */
export function resolveRegistryOptions(options: ProcessRegistryOptions | undefined): ResolvedRegistryOptions {
  const o = options ?? {};
  if (typeof o !== 'object' || o === null) throw new InvalidOptionError('ProcessRegistry options', 'an object (or undefined)', o);
  const application = optionalString(o, 'application');
  if (application !== undefined && !/^[\w.-]+$/.test(application)) {
    throw new InvalidOptionError('ProcessRegistry options.application', 'letters, digits, ".", "_" or "-" (it names a directory)', application);
  }
  return {
    path: optionalString(o, 'path') ?? defaultRegistryPath(application ?? defaultApplication()),
    name: optionalString(o, 'name'),
    shutdownGraceMs: positiveMs(o, 'shutdownGraceMs', 2000),
    reservationTimeoutMs: positiveMs(o, 'reservationTimeoutMs', 60_000),
    sweepIntervalMs: positiveMs(o, 'sweepIntervalMs', 1000),
    cleanupOnStart: optionalFlag(o, 'cleanupOnStart'),
    verifyOnOpen: optionalFlag(o, 'verifyOnOpen'),
  };
}
