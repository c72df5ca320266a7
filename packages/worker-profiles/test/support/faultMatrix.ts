/**
 * The fault matrix (issue 13 §4), table-driven: each profile's test file describes its
 * worker (a {@link FaultTarget}) and {@link faultMatrix} registers one serial test per case.
 * Every case goes through the public API (startWorker / workerSpec / workerOf) and asserts:
 * the request settles with the expected typed error and exit class, capacity comes back (a
 * probe: `capacity` parallel CPU requests finish on the same worker name, compared by served
 * counts and pids, never by wall time), stop resolves, and no process is left (every pid seen
 * is gone, and no zombie child of this process is left, from /proc).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { TestFn, ExecutionContext } from 'ava';
import { InitError, Supervisor, type ActorRef, type ActorSystem, type ExitReason } from '@arbor/core';
import {
  RequestAbortedError,
  startWorker,
  WorkerExitError,
  workerOf,
  workerSpec,
  WorkerStartError,
  WorkerStoppedError,
  WorkerTaskError,
  type WorkerExit,
  type WorkerHandle,
  type WorkerOptions,
  type WorkerProfile,
} from '../../src/index.js';
import { eventually, isAlive } from './helpers.js';

/** One request: method and argument. */
export type Call = readonly [method: string, arg: unknown];

/** What a memory-capped task ends in: the worker dies (`oom`), or only the task fails (Python's MemoryError under prlimit). */
export type MemoryOutcome = { readonly dies: Partial<WorkerExit> } | { readonly taskErrorName: string };

/** How one profile's worker is made to fail. */
export interface FaultTarget {
  readonly kind: string;
  readonly system: ActorSystem;
  /** Whether the worker is an OS process (pids checked in /proc). */
  readonly isProcess: boolean;
  /** The profile under test; `memoryCapped` adds its memory cap. */
  profile(variant?: 'memoryCapped'): WorkerProfile<unknown>;
  /** A profile whose worker exits before READY. */
  brokenProfile(): WorkerProfile<unknown>;
  readonly calls: {
    /** The handler throws; `message` is what its error says. */
    readonly throws: Call & { readonly message?: RegExp };
    /** Exits the worker with code 1 from inside a task (one or more ways). */
    readonly exits: readonly (Call & { readonly title: string })[];
    /** Answers `reply`, then exits with code 2 while idle (at once, or once `trigger(pid)` runs after the reply). */
    readonly exitIdle: { readonly call: Call; readonly reply: unknown; trigger?(pid: number | undefined): void };
    /** Runs until it is killed (the worker stays busy). */
    readonly busy: Call;
    /** Allocates past the memory cap. */
    readonly oom: Call;
    /** Ends when its AbortSignal fires (absent for a runtime without cooperative cancel). */
    readonly cooperative?: Call;
    /** A synchronous CPU loop that ignores its signal. */
    readonly cpuLoop: Call;
    /** The capacity probe (run `capacity` times at once). */
    readonly probe: Call;
  };
  /** Ways to kill the busy worker from outside, and what its exit then says. */
  readonly killsFromOutside: readonly { readonly how: string; kill(handle: WorkerHandle<any>, pid: number | undefined): void; readonly exit: Partial<WorkerExit> }[];
  readonly memory: MemoryOutcome;
}

/** The pids of this process's zombie children (from /proc/*\/stat: ppid == process.pid, state Z). */
export function zombieChildren(): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest[0] === 'Z' && Number(rest[1]) === process.pid) out.push(Number(entry));
  }
  return out;
}

async function waitFor(t: ExecutionContext, check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  if (!(await eventually(check, ms))) t.fail(`timed out waiting for ${what}`);
}

/** The per-test bookkeeping: pids seen, and the end-of-test leak check. */
class Seen {
  readonly pids = new Set<number>();
  add(pid: number | undefined): void {
    if (pid !== undefined && pid !== process.pid) this.pids.add(pid);
  }
  async addWorker(h: WorkerHandle<any>): Promise<number | undefined> {
    const m = await h.metadata();
    this.add(m.pid);
    return m.pid ?? m.threadId;
  }
  async check(t: ExecutionContext): Promise<void> {
    const gone = await eventually(() => [...this.pids].every((p) => !isAlive(p)) && zombieChildren().length === 0, 10_000);
    t.true(gone, `every worker process is gone and none is a zombie (seen ${[...this.pids].join(', ') || 'none'}; alive ${[...this.pids].filter(isAlive).join(', ')}; zombies ${zombieChildren().join(', ')})`);
  }
}

/** Runs `capacity` probes at once; asserts they all finished on this worker (its served count grew by that many). */
async function probeCapacity(t: ExecutionContext, target: FaultTarget, h: WorkerHandle<any>): Promise<void> {
  await waitFor(t, () => h.capacity > 0 && h.load === 0, 'the worker to be ready and idle');
  const before = await h.stats();
  const [m, a] = target.calls.probe;
  const results = await Promise.all(Array.from({ length: h.capacity }, (_, i) => h.request(m, typeof a === 'string' ? `${a}${i}` : a)));
  t.is(results.length, before.capacity, 'every probe finished');
  const after = await h.stats();
  t.is(after.servedByWorker - before.servedByWorker, before.capacity, 'the probes ran on the same worker');
  t.is(after.workerId, before.workerId);
  t.is(h.load, 0, 'capacity is back: nothing left in flight');
}

function downOf(system: ActorSystem, ref: ActorRef): Promise<ExitReason> {
  return new Promise((resolve) => system.monitor(ref, (d) => resolve(d.reason)));
}

let seq = 0;

/** A supervised worker named uniquely: its supervisor, and its handle looked up by name. */
async function supervised(target: FaultTarget, options: Omit<WorkerOptions<unknown>, 'profile'> & { profile?: WorkerProfile<unknown> }, policy = {}) {
  const name = `${target.kind}-fault-${++seq}`;
  const sup = await Supervisor.start(target.system, { strategy: 'one_for_one', ...policy, children: [workerSpec({ profile: target.profile(), ...options, name })] });
  return { name, sup, handle: () => workerOf<any>(target.system, name) };
}

/** Waits for the supervisor to have restarted `name` under a new ref, and its worker to be ready. */
async function restarted(t: ExecutionContext, target: FaultTarget, name: string, old: ActorRef): Promise<WorkerHandle<any>> {
  await waitFor(t, () => {
    const r = target.system.whereis(name);
    return r !== undefined && r.id !== old.id && target.system.isAlive(r);
  }, `the supervisor to restart ${name}`);
  const h = workerOf<any>(target.system, name);
  await waitFor(t, () => h.capacity > 0, `the restarted ${name} to be ready`);
  return h;
}

function exitOf(t: ExecutionContext, e: unknown, expected: Partial<WorkerExit>, seen: Seen): WorkerExit {
  t.true(e instanceof WorkerExitError, `a WorkerExitError, not ${String(e)}`);
  const exit = (e as WorkerExitError).exit;
  seen.add(exit.pid);
  t.like(exit, expected as Record<string, unknown>);
  return exit;
}

async function settle(p: Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** Registers the fault matrix for one profile (serial tests: they share the machine's two cores). */
export function faultMatrix(test: TestFn, target: FaultTarget): void {
  const k = target.kind;

  test.serial(`${k}: the task throws: WorkerTaskError, the same worker keeps serving`, async (t) => {
    const seen = new Seen();
    const w = await startWorker<any>(target.system, { profile: target.profile() });
    const id = await seen.addWorker(w);
    const [m, a] = target.calls.throws;
    const e = await t.throwsAsync(w.request(m, a), { instanceOf: WorkerTaskError });
    if (target.calls.throws.message !== undefined) t.regex(e!.message, target.calls.throws.message);
    await probeCapacity(t, target, w);
    t.is(await seen.addWorker(w), id, 'no restart');
    t.is((await w.stats()).starts, 1);
    await w.stop();
    t.false(target.system.isAlive(w.ref));
    await seen.check(t);
  });

  for (const exitCall of target.calls.exits) {
    test.serial(`${k}: ${exitCall.title} in a task: WorkerExitError (exit 1) for it and the queued request, the supervisor restarts the worker`, async (t) => {
      const seen = new Seen();
      const { name, sup, handle } = await supervised(target, {});
      const first = handle();
      const firstId = await seen.addWorker(first);
      const down = downOf(target.system, first.ref);
      const [m, a] = exitCall;
      const outcomes = await Promise.all([settle(first.request(m, a)), ...Array.from({ length: first.capacity }, () => settle(first.request(target.calls.probe[0], target.calls.probe[1])))]);
      const failed = outcomes.filter((o) => !o.ok);
      t.true(failed.length >= 1);
      exitOf(t, (outcomes[0] as { error: unknown }).error, { reason: 'exit', code: 1 } as Partial<WorkerExit>, seen);
      for (const o of failed) t.true(o.error instanceof WorkerExitError, 'every request that did not finish rejects with WorkerExitError');
      t.true((await down) instanceof WorkerExitError, 'the actor exits with WorkerExitError');
      const again = await restarted(t, target, name, first.ref);
      t.not(await seen.addWorker(again), firstId, 'a new worker');
      await probeCapacity(t, target, again);
      await target.system.stop(sup);
      t.false(target.system.isAlive(again.ref));
      await seen.check(t);
    });
  }

  for (const outside of target.killsFromOutside) {
  test.serial(`${k}: ${outside.how} mid-task: WorkerExitError, the supervisor restarts the worker`, async (t) => {
    const seen = new Seen();
    const { name, sup, handle } = await supervised(target, {});
    const first = handle();
    const m = await first.metadata();
    seen.add(m.pid);
    const busy = settle(first.request(target.calls.busy[0], target.calls.busy[1]));
    await waitFor(t, () => first.load === 1, 'the task to be in flight');
    outside.kill(first, m.pid);
    const o = await busy;
    t.false(o.ok);
    if (!o.ok) exitOf(t, o.error, outside.exit, seen);
    const again = await restarted(t, target, name, first.ref);
    await seen.addWorker(again);
    await probeCapacity(t, target, again);
    await target.system.stop(sup);
    await seen.check(t);
  });
  }

  test.serial(`${k}: a task past the memory cap settles (${'dies' in target.memory ? 'the worker dies: oom' : `the task fails: ${target.memory.taskErrorName}`}), capacity comes back`, async (t) => {
    const seen = new Seen();
    const memory = target.memory;
    const { name, sup, handle } = await supervised(target, { profile: target.profile('memoryCapped') });
    const first = handle();
    const firstId = await seen.addWorker(first);
    const o = await settle(first.request(target.calls.oom[0], target.calls.oom[1]));
    t.false(o.ok);
    let now = first;
    if ('dies' in memory) {
      if (!o.ok) exitOf(t, o.error, memory.dies, seen);
      now = await restarted(t, target, name, first.ref);
      t.not(await seen.addWorker(now), firstId);
    } else {
      if (!o.ok) {
        t.true(o.error instanceof WorkerTaskError, `a WorkerTaskError, not ${String(o.error)}`);
        t.is((o.error as WorkerTaskError).remote.name, memory.taskErrorName);
      }
      t.is(await seen.addWorker(now), firstId, 'the same worker keeps serving');
    }
    await probeCapacity(t, target, now);
    await target.system.stop(sup);
    await seen.check(t);
  });

  const cooperative = target.calls.cooperative;
  if (cooperative !== undefined) {
    test.serial(`${k}: a cancelled task whose handler honours its signal: RequestAbortedError, the same worker serves on`, async (t) => {
      const seen = new Seen();
      const w = await startWorker<any>(target.system, { profile: target.profile(), cancelGraceMs: 60_000 });
      const id = await seen.addWorker(w);
      const ac = new AbortController();
      const p = w.request(cooperative[0], cooperative[1], { signal: ac.signal });
      await waitFor(t, () => w.load === 1, 'the task to be in flight');
      ac.abort(new Error('test abort'));
      await t.throwsAsync(p, { instanceOf: RequestAbortedError });
      await waitFor(t, () => w.load === 0, 'the worker to answer the cancel');
      t.is(await w.request('aborts', null), 1, "the cancel frame fired the handler's signal");
      await probeCapacity(t, target, w);
      t.is(await seen.addWorker(w), id, 'not replaced');
      t.is((await w.stats()).starts, 1);
      await w.stop();
      await seen.check(t);
    });
  }

  test.serial(`${k}: a cancelled CPU loop that ignores its signal: RequestAbortedError at once, killed after cancelGraceMs and replaced in place`, async (t) => {
    const seen = new Seen();
    const w = await startWorker<any>(target.system, { profile: target.profile(), cancelGraceMs: 100 });
    const ref = w.ref;
    const id = await seen.addWorker(w);
    const ac = new AbortController();
    const p = w.request(target.calls.cpuLoop[0], target.calls.cpuLoop[1], { signal: ac.signal });
    await waitFor(t, () => w.load === 1, 'the loop to be in flight');
    ac.abort(new Error('test abort'));
    await t.throwsAsync(p, { instanceOf: RequestAbortedError });
    await waitFor(t, async () => (await w.stats()).starts === 2 && w.capacity > 0, 'the replacement worker');
    const stats = await w.stats();
    t.like(stats.lastExit, { reason: 'killed', by: 'arbor', cause: 'cancel_grace' } as Record<string, unknown>);
    seen.add(stats.lastExit?.pid);
    t.true(target.system.isAlive(ref), 'the actor and its ref stay');
    t.is(w.ref, ref);
    t.not(await seen.addWorker(w), id, 'a new worker');
    await probeCapacity(t, target, w);
    await w.stop();
    t.false(target.system.isAlive(ref));
    await seen.check(t);
  });

  test.serial(`${k}: the worker exits while idle: the actor exits with WorkerExitError (exit 2), the supervisor restarts it`, async (t) => {
    const seen = new Seen();
    const { name, sup, handle } = await supervised(target, {});
    const first = handle();
    const firstId = await seen.addWorker(first);
    const down = downOf(target.system, first.ref);
    const { call, reply, trigger } = target.calls.exitIdle;
    t.is(await first.request(call[0], call[1]), reply);
    trigger?.(firstId);
    const reason = await down;
    exitOf(t, reason, { reason: 'exit', code: 2 } as Partial<WorkerExit>, seen);
    await t.throwsAsync(first.request(target.calls.probe[0], target.calls.probe[1]), { instanceOf: WorkerStoppedError });
    const again = await restarted(t, target, name, first.ref);
    t.not(await seen.addWorker(again), firstId);
    await probeCapacity(t, target, again);
    await target.system.stop(sup);
    await seen.check(t);
  });

  test.serial(`${k}: the worker exits during start-up: startWorker rejects with InitError wrapping WorkerStartError, nothing is left`, async (t) => {
    const seen = new Seen();
    const name = `${k}-broken-${++seq}`;
    const e = await t.throwsAsync(startWorker(target.system, { profile: target.brokenProfile(), name }), { instanceOf: InitError });
    const cause = (e as InitError).reason;
    t.true(cause instanceof WorkerStartError, `WorkerStartError, not ${String(cause)}`);
    const exit = (cause as WorkerStartError).exit;
    t.is(exit.reason, 'startup_failed');
    seen.add(exit.pid);
    if (target.isProcess) t.truthy(exit.pid, 'the process that failed had a pid');
    t.is(target.system.whereis(name), undefined);
    await seen.check(t);
  });

  test.serial(`${k}: a crash storm: the supervisor gives up, every caller is rejected with a typed error, the supervisor exits`, async (t) => {
    const seen = new Seen();
    const { name, sup, handle } = await supervised(target, {}, { intensity: 2, period: 60_000 });
    const supDown = downOf(target.system, sup);
    const [exitM, exitA] = target.calls.exits[0]!;
    const outcomes: { ok: boolean; error?: unknown }[] = [];
    for (let round = 0; round < 10 && target.system.isAlive(sup); round++) {
      const h = handle();
      await eventually(() => !target.system.isAlive(sup) || (h.capacity > 0 && target.system.isAlive(h.ref)), 10_000);
      if (!target.system.isAlive(sup)) break;
      seen.add((await h.metadata().catch(() => ({ pid: undefined }))).pid);
      const calls = [settle(h.request(exitM, exitA)), ...Array.from({ length: h.capacity + 1 }, () => settle(h.request(target.calls.busy[0], target.calls.busy[1])))];
      outcomes.push(...(await Promise.all(calls)));
      await eventually(() => !target.system.isAlive(h.ref), 10_000);
    }
    await supDown;
    t.false(target.system.isAlive(sup), 'the supervisor exited');
    t.true(outcomes.length >= 3 * 2, 'three workers were crashed (intensity 2: the third crash ends it)');
    for (const o of outcomes) {
      t.false(o.ok, 'no call resolved');
      t.true(o.error instanceof WorkerExitError || o.error instanceof WorkerStoppedError, `a typed error, not ${String(o.error)}`);
      if (o.error instanceof WorkerExitError) seen.add(o.error.exit.pid);
    }
    t.is(target.system.whereis(name), undefined);
    await t.throwsAsync(handle().request(target.calls.probe[0], target.calls.probe[1]), { instanceOf: WorkerStoppedError });
    await seen.check(t);
  });
}
