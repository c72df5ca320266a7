import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestFn } from 'ava';
import { createSystem, type ActorSystem } from '@arbor/core';
import { defineTask, JobPool, Pools, type JobPoolOptions } from '../../src/index.js';
import { allTaskThreadsExited, taskThreads, trackedTaskProfile } from './taskThreads.js';

const tasks = new URL('../fixtures/tasks.js', import.meta.url);
/** The fixture tasks (test/fixtures/tasks.ts), typed. */
export const T = {
  add: defineTask<[number, number], number>(tasks, 'add'),
  sleep: defineTask<[number], number>(tasks, 'sleep'),
  fail: defineTask<[string], never>(tasks, 'fail'),
  exit: defineTask<[number], never>(tasks, 'exit'),
  threadId: defineTask<[], number>(tasks, 'threadId'),
  threadIdAfter: defineTask<[number], number>(tasks, 'threadIdAfter'),
  note: defineTask<[string, string, number], string>(tasks, 'note'),
  stubborn: defineTask<[number], number>(tasks, 'stubborn'),
  hog: defineTask<[], number>(tasks, 'hog'),
};

/** A fresh file for `note` tasks, and its lines. */
export function noteFile(): { file: string; lines(): string[]; has(line: string): boolean } {
  const file = join(mkdtempSync(join(tmpdir(), 'arbor-jobs-')), 'notes.txt');
  const lines = (): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []);
  return { file, lines, has: (line) => lines().includes(line) };
}

/**
 * One system per test file, job pools of tracked task-worker threads under fresh names
 * (`pool(prefix, extra)`), and at the end: the pools tree stopped, every thread exited.
 */
export function jobRig(test: TestFn, minThreads = 1) {
  const system: ActorSystem = createSystem();
  let n = 0;
  test.after.always(async (t) => {
    await Pools.of(system).stop();
    await system.shutdown();
    t.true(taskThreads.length >= minThreads, `${taskThreads.length} threads started`);
    t.true(await allTaskThreadsExited(), 'every worker thread exited');
  });
  return {
    system,
    /** A started job pool of tracked threads (capacity `threadCapacity`, default 1; heap classes when `capped`). */
    pool(prefix: string, extra: Omit<Partial<JobPoolOptions>, 'name'> & { threadCapacity?: number; capped?: boolean } = {}): Promise<JobPool> {
      const { threadCapacity, capped, ...rest } = extra;
      return JobPool.start(system, { name: `${prefix}${++n}`, profile: trackedTaskProfile(threadCapacity ?? 1, capped ?? false), ...rest });
    },
    /** A started pool with `delegateTo` and no profile. */
    tenant(prefix: string, extra: Omit<Partial<JobPoolOptions>, 'name' | 'profile'> & Pick<JobPoolOptions, 'delegateTo'>): Promise<JobPool> {
      return JobPool.start(system, { name: `${prefix}${++n}`, ...extra });
    },
  };
}

/** Resolves once `cond()` holds (polled every 5 ms; throws past 10 s). */
export async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const MiB = 2 ** 20;
