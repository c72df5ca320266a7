import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import type { TimeSlicer } from '../util/TimeSlicer.js';

/**
 * Every read of `/proc` lives in this module (Linux only). On other OSes
 * `procSupported` is false: process start times, states, groups and environments cannot
 * be read, so the registry never signals a process it cannot identify (see
 * docs/process-registry.md, "Other operating systems").
 *
 * @example
 * if (procSupported) console.log(readProcessStat(process.pid)?.startTime);
 */
export const procSupported: boolean = process.platform === 'linux';

/**
 * The environment variable naming the run that spawned a worker (grandchildren inherit it).
 *
 * @example
 * process.env[RUN_ID_ENV] // in a worker: the run id of the registry that spawned it
 */
export const RUN_ID_ENV = 'ARBOR_RUN_ID';
/**
 * The environment variable naming the worker id a process was spawned for.
 *
 * @example
 * process.env[WORKER_ID_ENV] // in a worker: 'py-1'
 */
export const WORKER_ID_ENV = 'ARBOR_WORKER_ID';
/**
 * The environment variable naming the pid of the Node process that owns a worker (with
 * {@link OWNER_START_TIME_ENV}, it lets a start-up scan judge the worker without the file).
 *
 * @example
 * process.env[OWNER_PID_ENV] // in a worker: '4242', the application that spawned it
 */
export const OWNER_PID_ENV = 'ARBOR_OWNER_PID';
/**
 * The environment variable holding the owner's start time, as the registry records it
 * (field 22 of `/proc/PID/stat`: clock ticks after boot). Absent where it cannot be read.
 *
 * @example
 * process.env[OWNER_START_TIME_ENV] // in a worker: '8812345'
 */
export const OWNER_START_TIME_ENV = 'ARBOR_OWNER_START_TIME';
/**
 * The environment variable naming the registry file a worker was recorded in (its absolute
 * path): a scan without the file (a damaged one moved aside) judges only this file's workers.
 *
 * @example
 * process.env[REGISTRY_PATH_ENV] // in a worker: '/home/me/.local/share/arbor/billing/process-registry.mdb'
 */
export const REGISTRY_PATH_ENV = 'ARBOR_REGISTRY_PATH';

/**
 * What `/proc/PID/stat` says about a process: its state letter, parent, process group
 * and start time (field 22: clock ticks after boot; with the pid, the process's identity).
 *
 * @example
 * const s = readProcessStat(pid); // { pid, state: 'S', ppid, pgid, startTime }
 */
export interface ProcessStat {
  readonly pid: number;
  /** `R`, `S`, `D`, `T`, `Z` (zombie), `X` (dead), ... */
  readonly state: string;
  readonly ppid: number;
  readonly pgid: number;
  readonly startTime: number;
}

// A stat line is under 400 bytes (the command name is at most 64).
const STAT_BUFFER = Buffer.alloc(1024);

/**
 * Reads `/proc/PID/stat`, or undefined if there is no such process (or no `/proc`).
 * The command name may hold spaces and parentheses, so fields are read after the last `)`.
 *
 * @example
 * readProcessStat(process.pid)!.state // 'R'
 */
export function readProcessStat(pid: number): ProcessStat | undefined {
  if (!procSupported) return undefined;
  let n: number;
  try {
    // open/read/close into a reused buffer: a third of readFileSync's cost (no fstat, no allocation).
    const fd = openSync(`/proc/${pid}/stat`, 'r');
    try {
      n = readSync(fd, STAT_BUFFER, 0, STAT_BUFFER.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  return parseStat(pid, STAT_BUFFER, n);
}

const SPACE = 0x20;
const stateLetters = new Map<number, string>();

/**
 * Parses the bytes of a stat line in place (no string of the line, no split): the fields
 * after the last `)`, up to field 22 only. @internal exported for tests
 */
export function parseStat(pid: number, buf: Uint8Array, length: number): ProcessStat | undefined {
  let close = length - 1;
  while (close >= 0 && buf[close] !== 0x29) close--;
  // After ") ": field 3 (state) starts at close + 2.
  let i = close + 2;
  if (close < 0 || i >= length) return undefined;
  const letter = buf[i]!;
  if (letter === SPACE || (i + 1 < length && buf[i + 1] !== SPACE)) return undefined;
  let state = stateLetters.get(letter);
  if (state === undefined) stateLetters.set(letter, (state = String.fromCharCode(letter)));
  i += 2;
  let ppid = NaN;
  let pgid = NaN;
  // Fields 4 (ppid), 5 (pgrp), then skip to 22 (starttime). Only non-negative integers are kept.
  for (let field = 4; field <= 22; field++) {
    let v = 0;
    let digits = 0;
    let neg = false;
    if (buf[i] === 0x2d) {
      neg = true;
      i++;
    }
    for (; i < length; i++) {
      const c = buf[i]!;
      if (c === SPACE || c === 0x0a) break;
      if (c < 0x30 || c > 0x39) return undefined;
      v = v * 10 + (c - 0x30);
      digits++;
    }
    if (digits === 0 || i > length) return undefined;
    if (neg) v = -v;
    if (field === 4) ppid = v;
    else if (field === 5) pgid = v;
    else if (field === 22) return Number.isSafeInteger(v) ? { pid, state, ppid, pgid, startTime: v } : undefined;
    i++; // the separator
    if (i >= length) return undefined;
  }
  return undefined;
}

/** Whether a state letter means the process has exited (a zombie waits only to be reaped). */
export function isDeadState(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}

/**
 * What a pid names now, compared with the identity recorded for it:
 * `running` (same pid, same start time, not a zombie), `zombie` (the recorded process,
 * exited but not yet reaped), `gone` (no such process), `reused` (another start time,
 * alive or a zombie: a stranger that got the pid), or `unknown` (no `/proc` on this OS,
 * and `kill(pid, 0)` says something holds the pid).
 *
 * @example
 * if (processStatus(w.osPid, w.startTime) === 'running') signal(w);
 */
export type ProcessStatus = 'running' | 'zombie' | 'gone' | 'reused' | 'unknown';

/**
 * Checks a pid against its recorded start time (see {@link ProcessStatus}). With a null
 * start time, any live process at the pid counts as `running` on Linux.
 *
 * @example
 * processStatus(pid, recordedStartTime) // 'reused' when the OS gave the pid to someone else
 */
export function processStatus(pid: number, startTime: number | null): ProcessStatus {
  if (!procSupported) return pidExists(pid) ? 'unknown' : 'gone';
  const s = readProcessStat(pid);
  if (s === undefined) return 'gone';
  // The start time first: a stranger's zombie at a recorded pid is a stranger, not our exited worker.
  if (startTime !== null && s.startTime !== startTime) return 'reused';
  if (isDeadState(s.state)) return 'zombie';
  return 'running';
}

/** `kill(pid, 0)`: whether any process (zombies included) holds the pid. */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pids listed in `/proc` (empty on other OSes). */
export function listPids(): number[] {
  if (!procSupported) return [];
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) pids.push(Number(name));
  }
  return pids;
}

/** The owner uid of `/proc/PID` (the process's effective uid), or undefined if it is gone. */
export function processUid(pid: number): number | undefined {
  try {
    return statSync(`/proc/${pid}`).uid;
  } catch {
    return undefined;
  }
}

/**
 * The Arbor markers in a process's environment: the run and worker ids, and (for workers
 * spawned since the owner markers exist) the owner's pid and start time and the registry file.
 */
export interface ProcessMarkers {
  readonly runId: string;
  readonly workerId: string | undefined;
  readonly ownerPid?: number | undefined;
  readonly ownerStartTime?: number | undefined;
  readonly registryPath?: string | undefined;
}

function markerNumber(v: string | undefined): number | undefined {
  if (v === undefined || !/^[0-9]{1,15}$/.test(v)) return undefined;
  return Number(v);
}

/**
 * Reads the `ARBOR_*` markers from `/proc/PID/environ` (the environment the process was
 * started with), or undefined without a run id or without permission.
 *
 * @example
 * readMarkers(child.pid!) // { runId: 'V1StGXR8_Z5jdHi6B-myT', workerId: 'w1', ownerPid: 4242, ownerStartTime: 8812345, registryPath: '/tmp/r.mdb' }
 */
export function readMarkers(pid: number): ProcessMarkers | undefined {
  let env: string;
  try {
    env = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return undefined;
  }
  if (!env.includes(`${RUN_ID_ENV}=`)) return undefined;
  let runId: string | undefined;
  let workerId: string | undefined;
  let ownerPid: string | undefined;
  let ownerStartTime: string | undefined;
  let registryPath: string | undefined;
  for (const kv of env.split('\0')) {
    if (!kv.startsWith('ARBOR_')) continue;
    const eq = kv.indexOf('=');
    const name = kv.slice(0, eq);
    const value = kv.slice(eq + 1);
    if (name === RUN_ID_ENV) runId = value;
    else if (name === WORKER_ID_ENV) workerId = value;
    else if (name === OWNER_PID_ENV) ownerPid = value;
    else if (name === OWNER_START_TIME_ENV) ownerStartTime = value;
    else if (name === REGISTRY_PATH_ENV) registryPath = Buffer.from(value, 'latin1').toString('utf8');
  }
  if (runId === undefined) return undefined;
  return { runId, workerId, ownerPid: markerNumber(ownerPid), ownerStartTime: markerNumber(ownerStartTime), registryPath };
}

/** A process found carrying run markers. */
export interface MarkedProcess extends ProcessStat {
  readonly markers: ProcessMarkers;
}

/** `pid` with its markers when it is another live process of `uid` whose markers `select` accepts. */
function markedProcess(pid: number, select: (markers: ProcessMarkers) => boolean, uid: number | undefined): MarkedProcess | undefined {
  if (pid === process.pid) return undefined;
  if (uid !== undefined && processUid(pid) !== uid) return undefined;
  const markers = readMarkers(pid);
  if (markers === undefined || !select(markers)) return undefined;
  const stat = readProcessStat(pid);
  if (stat === undefined || isDeadState(stat.state)) return undefined;
  return { ...stat, markers };
}

/**
 * Scans `/proc` for processes of the current user whose environment carries one of
 * `runIds` (zombies skipped; this process skipped).
 *
 * @example
 * findMarkedProcesses(new Set([oldRunId])) // the workers of that run and their children
 */
export function findMarkedProcesses(runIds: ReadonlySet<string>): MarkedProcess[] {
  if (runIds.size === 0) return [];
  return findProcessesMarked((m) => runIds.has(m.runId));
}

/**
 * Scans `/proc` for processes of the current user carrying Arbor markers that `select`
 * accepts (zombies skipped; this process skipped).
 *
 * @example
 * findProcessesMarked((m) => m.registryPath === path) // every worker recorded in that file, by their environment
 */
export function findProcessesMarked(select: (markers: ProcessMarkers) => boolean): MarkedProcess[] {
  if (!procSupported) return [];
  const uid = process.getuid?.();
  const found: MarkedProcess[] = [];
  for (const pid of listPids()) {
    const p = markedProcess(pid, select, uid);
    if (p !== undefined) found.push(p);
  }
  return found;
}

/**
 * {@link findMarkedProcesses}, yielding to the event loop whenever `slicer`'s slice is
 * used up (a scan reads two files per process: milliseconds on a busy machine).
 *
 * @example
 * const found = await scanMarkedProcesses(new Set([oldRunId]), new TimeSlicer());
 */
export async function scanMarkedProcesses(runIds: ReadonlySet<string>, slicer: TimeSlicer): Promise<MarkedProcess[]> {
  if (!procSupported || runIds.size === 0) return [];
  const uid = process.getuid?.();
  const found: MarkedProcess[] = [];
  const select = (m: ProcessMarkers) => runIds.has(m.runId);
  for (const pid of listPids()) {
    if (slicer.due) await slicer.next();
    const p = markedProcess(pid, select, uid);
    if (p !== undefined) found.push(p);
  }
  return found;
}

/**
 * Whether a process is exiting: it has released its memory (`/proc/PID/statm` reads all
 * zeros), so its environment reads empty, but it is not a zombie yet. Such a process is as
 * good as dead (signals no longer reach it); undefined-safe: a gone pid counts as exiting.
 *
 * @example
 * if (!isExiting(pid)) readMarkers(pid) // an empty environment then means a real one
 */
export function isExiting(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/statm`, 'latin1').startsWith('0 ');
  } catch {
    return true;
  }
}

/** The pids of live (non-zombie) members of process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  if (!procSupported) return [];
  const members: number[] = [];
  for (const pid of listPids()) {
    const s = readProcessStat(pid);
    if (s !== undefined && s.pgid === pgid && !isDeadState(s.state)) members.push(pid);
  }
  return members;
}

/**
 * The live (non-zombie) members of every process group, by group id, from one scan of
 * `/proc`, yielding whenever `slicer`'s slice is used up.
 *
 * @example
 * (await scanGroups(new TimeSlicer())).get(pgid) // [4242, 4250]
 */
export async function scanGroups(slicer: TimeSlicer): Promise<Map<number, number[]>> {
  const groups = new Map<number, number[]>();
  if (!procSupported) return groups;
  for (const pid of listPids()) {
    if (slicer.due) await slicer.next();
    const s = readProcessStat(pid);
    if (s === undefined || isDeadState(s.state)) continue;
    const members = groups.get(s.pgid);
    if (members === undefined) groups.set(s.pgid, [pid]);
    else members.push(pid);
  }
  return groups;
}
