/**
 * Part five of the demo: OS worker processes that outlive a crash, and the process
 * registry that finds and stops them at the next start.
 *
 * 1. A separate application process starts a registry on an LMDB file and two workers,
 *    then is SIGKILLed: no shutdown hook runs, the workers are orphans.
 * 2. This process starts a registry on the same file under a supervisor; its start-up
 *    cleanup sees that the owner is gone, checks each worker's (pid, start time), and stops
 *    them with SIGTERM.
 * 3. It spawns a worker of its own, and the orderly stop of the tree stops that one too.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { childSpec, createLogger, createSystem, Supervisor, type ActorRef, type LogLevel } from '@arbor/core';
import { ProcessRegistry, spawnWorker, type KillOutcome, type ProcessRegistryProtocol } from '@arbor/process-registry';
import { alive } from '../support/proc.js';

/** What the processes scene observed. */
export interface ProcessesSummary {
  /** The crashed application's workers alive right after its SIGKILL. */
  readonly orphansAliveAfterCrash: number;
  /** What the new registry's start-up cleanup did to each orphan. */
  readonly outcomes: readonly KillOutcome[];
  /** The orphans alive after the cleanup. */
  readonly orphansAliveAfterCleanup: number;
  /** Entries in the file after the cleanup, and whether all belong to the new run. */
  readonly entriesAfterCleanup: number;
  readonly onlyCurrentRun: boolean;
  /** Whether the new run's own worker was stopped by the orderly stop. */
  readonly ownWorkerStoppedOnShutdown: boolean;
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !alive(pid);
}

/** Runs the scene, printing each step with `print`. */
export async function runProcesses(print: (line: string) => void, options: { logLevel?: LogLevel } = {}): Promise<ProcessesSummary> {
  print('\nPart five: OS worker processes and the process registry');
  if (process.platform !== 'linux') throw new Error('the processes scene needs Linux (/proc)');
  const dir = mkdtempSync(join(tmpdir(), 'arbor-showcase-'));
  const path = join(dir, 'process-registry.mdb');
  const system = createSystem({ logger: createLogger(options.logLevel ?? 'warn') });
  try {
    const app = spawn(process.execPath, [fileURLToPath(new URL('./crashingApp.js', import.meta.url)), path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(createInterface({ input: app.stdout! }), 'line')) as [string];
    const crashed = JSON.parse(line) as { runId: string; pids: number[] };
    print(`an application (pid ${app.pid}, run ${crashed.runId}) started workers ${crashed.pids.join(', ')}`);
    app.kill('SIGKILL');
    await once(app, 'exit');
    const orphansAliveAfterCrash = crashed.pids.filter(alive).length;
    print(`it was SIGKILLed: ${orphansAliveAfterCrash} orphaned workers still run`);

    const sup = await Supervisor.start(system, {
      strategy: 'one_for_one',
      intensity: 3,
      period: 5000,
      children: [childSpec(ProcessRegistry, { path, shutdownGraceMs: 1000 }, { id: 'process-registry', shutdown: 5000 })],
    });
    const registry = ProcessRegistry.of((await Supervisor.whichChildren(sup))[0]!.ref as ActorRef<ProcessRegistryProtocol>);
    const report = (await registry.startupCleanup())!;
    const outcomes = report.orphans.map((o) => o.outcome as KillOutcome);
    print(`a new registry started (run ${report.runId}); its start-up cleanup found the owner gone and stopped: ${report.orphans.map((o) => `${o.workerId} (pid ${o.osPid}) ${o.outcome}`).join(', ')}`);
    const orphansAliveAfterCleanup = crashed.pids.filter(alive).length;

    const own = await spawnWorker(registry, { workerId: 'py-1', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1 << 30)'] });
    const entries = await registry.debugEntries();
    print(`it spawned its own py-1 (pid ${own.pid}); the file holds ${entries.length} entry, of run ${entries[0]?.runId}`);
    await system.shutdown();
    const ownWorkerStoppedOnShutdown = await gone(own.pid);
    print(`the tree stopped in order, and the registry stopped its worker: pid ${own.pid} ${ownWorkerStoppedOnShutdown ? 'is gone' : 'still runs'}`);
    return {
      orphansAliveAfterCrash,
      outcomes,
      orphansAliveAfterCleanup,
      entriesAfterCleanup: entries.length,
      onlyCurrentRun: entries.every((e) => e.runId === report.runId),
      ownWorkerStoppedOnShutdown,
    };
  } finally {
    await system.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}
