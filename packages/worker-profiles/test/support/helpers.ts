import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, createSystem, GenServer, type ActorRef, type ActorSystem } from '@arbor/core';
import { ProcessRegistry, type ProcessRegistryHandle } from '@arbor/process-registry';
import type { StartContext, WorkerConn, WorkerProfile } from '../../src/index.js';
import { isAlive, pollUntil as eventually } from '@arbor/test-support';

/** A fixture file (test/fixtures, not compiled). */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url));
}

const tracked = new Set<number>();
const dirs: string[] = [];

/** Tracks a pid for the end-of-file leak check. */
export function track(pid: number | undefined): number {
  if (pid === undefined) throw new Error('no pid');
  tracked.add(pid);
  return pid;
}

export { isAlive };

/** Polls `check` (every 20 ms) until it holds or `ms` (15 s) pass. */
export { eventually };

/** after.always: waits (bounded) for tracked pids to go, kills and names any left, removes temp dirs. */
export async function cleanUpFile(): Promise<void> {
  await eventually(() => ![...tracked].some(isAlive), 5_000);
  const left = [...tracked].filter(isAlive);
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  if (left.length > 0) throw new Error(`processes started by this test file survived it: ${left.join(', ')}`);
}

/** A temp dir removed by {@link cleanUpFile}. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'arbor-wp-'));
  dirs.push(dir);
  return dir;
}

class Owner extends GenServer {}

export interface Rig {
  readonly system: ActorSystem;
  readonly registry: ProcessRegistryHandle;
  readonly actor: ActorRef;
  readonly path: string;
  /** Starts a worker of `profile` (its pid tracked). */
  start(profile: WorkerProfile<unknown>, readyTimeoutMs?: number): Promise<WorkerConn>;
  close(): Promise<void>;
}

let n = 0;
/** An actor system with a real ProcessRegistry in a temp dir, registered as `process-registry`. */
export async function rig(): Promise<Rig> {
  const system = createSystem({ logger: createLogger('silent') });
  const path = join(tempDir(), 'r.mdb');
  const registry = await ProcessRegistry.start(system, { path, name: 'process-registry', shutdownGraceMs: 300 });
  const actor = await system.spawn(Owner, undefined);
  return {
    system,
    registry,
    actor,
    path,
    async start(profile, readyTimeoutMs = 15_000) {
      const ctx: StartContext = { workerId: `w-${process.pid}-${++n}`, system, actor, readyTimeoutMs };
      const conn = await profile.start(ctx);
      track(conn.pid);
      return conn;
    },
    close: () => system.shutdown(),
  };
}

/** Collects a conn's frames and its exit. */
export function watch(conn: WorkerConn) {
  const frames: Record<string, unknown>[] = [];
  const exits: unknown[] = [];
  conn.onFrame((f) => frames.push(f as unknown as Record<string, unknown>));
  conn.onExit((e) => exits.push(e));
  return {
    frames,
    exits,
    /** Waits for the reply to request `id`. */
    async reply(id: number): Promise<Record<string, unknown>> {
      if (!(await eventually(() => frames.some((f) => f['id'] === id && (f['t'] === 'res' || f['t'] === 'err'))))) throw new Error(`no reply to ${id}`);
      return frames.find((f) => f['id'] === id && (f['t'] === 'res' || f['t'] === 'err'))!;
    },
    async exited(): Promise<Record<string, unknown>> {
      if (!(await eventually(() => exits.length > 0))) throw new Error('no exit');
      return exits[0] as Record<string, unknown>;
    },
  };
}
