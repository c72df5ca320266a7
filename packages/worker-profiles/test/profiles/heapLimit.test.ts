// withHeapLimit: per-worker V8 heap caps as a profile capability (threads and Node children),
// its absence on the stdio/Python profiles, and the nodejs/node#43991 warning.
import test from 'ava';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidOptionError } from '@arbor/core';
import { nodeProcessProfile, pythonProfile, startWorker, stdioProfile, threadProfile, WorkerExitError, type WorkerHandle, type WorkerProfile } from '../../src/index.js';
import type { Api } from '../fixtures/nodeWorker.js';
import { cleanUpFile, eventually, isAlive, rig, track, type Rig } from '../support/helpers.js';

const MiB = 1024 * 1024;
const module = new URL('../fixtures/nodeWorker.js', import.meta.url);
let r: Rig;
test.before(async () => {
  r = await rig();
});
test.after.always(async () => {
  await r?.close();
  await cleanUpFile();
});

let named = 0;
async function worker(profile: WorkerProfile<Api>): Promise<WorkerHandle<Api>> {
  const handle = await startWorker(r.system, { profile, name: `heap-${++named}` });
  const { pid } = await handle.metadata();
  if (pid !== undefined) track(pid);
  return handle;
}

/** The capped worker's allocating request rejects with its oom exit; the uncapped neighbour still serves. */
async function capHolds(t: import('ava').ExecutionContext, capped: WorkerHandle<Api>, neighbour: WorkerHandle<Api>) {
  t.is(await neighbour.request('add', 1), 2);
  const error = await t.throwsAsync(capped.request('oom', undefined as never), { instanceOf: WorkerExitError });
  t.is(error?.exit.reason, 'oom', error?.message);
  t.is(await neighbour.request('add', 41), 42, 'the uncapped neighbour keeps serving');
  t.is((await neighbour.stats()).starts, 1, 'the neighbour was never restarted');
  return error!.exit;
}

test.serial('threadProfile.withHeapLimit: maxOldGenerationSizeMb = ceil(bytes / MiB), the other resourceLimits kept, the original untouched', async (t) => {
  const base = threadProfile<Api>({ module, resourceLimits: { maxOldGenerationSizeMb: 512, stackSizeMb: 4 } });
  const capped = base.withHeapLimit!(32 * MiB + 1);
  t.not(capped, base);
  t.is(typeof capped.withHeapLimit, 'function', 'a capped profile can be re-capped');
  const [a, b] = await Promise.all([worker(capped), worker(base)]);
  t.deepEqual((await a.metadata()).meta.resourceLimits, { maxOldGenerationSizeMb: 33, stackSizeMb: 4 });
  t.deepEqual((await b.metadata()).meta.resourceLimits, { maxOldGenerationSizeMb: 512, stackSizeMb: 4 });
  const again = await worker(capped.withHeapLimit!(64 * MiB));
  t.deepEqual((await again.metadata()).meta.resourceLimits, { maxOldGenerationSizeMb: 64, stackSizeMb: 4 });
  await Promise.all([a.stop(), b.stop(), again.stop()]);
});

test.serial('a thread capped by withHeapLimit exits oom (ERR_WORKER_OUT_OF_MEMORY) on a handler past the cap; an uncapped neighbour keeps serving', async (t) => {
  const profile = threadProfile<Api>({ module });
  const [capped, neighbour] = await Promise.all([worker(profile.withHeapLimit!(32 * MiB)), worker(profile)]);
  const exit = await capHolds(t, capped, neighbour);
  t.like(exit, { reason: 'oom', kind: 'thread', error: { code: 'ERR_WORKER_OUT_OF_MEMORY' } });
  await neighbour.stop();
});

test.serial('nodeProcessProfile.withHeapLimit replaces --max-old-space-size in execArgv and keeps the other flags', async (t) => {
  const base = nodeProcessProfile<Api>({ module, execArgv: ['--max-old-space-size', '512', '--no-warnings', '--max_old_space_size=256'] });
  const w = await worker(base.withHeapLimit!(48 * MiB - 7));
  const { pid } = await w.metadata();
  const flags = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((arg) => arg.startsWith('--') && arg !== '--pdeathsig');
  t.deepEqual(flags, ['--no-warnings', '--max-old-space-size=48'], 'the child node (setpriv execs it) runs with the new cap only');
  await w.stop();
  t.false(isAlive(pid!));
});

test.serial('a Node child capped by withHeapLimit aborts and is classified oom (SIGABRT); an uncapped neighbour keeps serving', async (t) => {
  const profile = nodeProcessProfile<Api>({ module });
  const [capped, neighbour] = await Promise.all([worker(profile.withHeapLimit!(32 * MiB)), worker(profile)]);
  const { pid } = await capped.metadata();
  const exit = await capHolds(t, capped, neighbour);
  t.like(exit, { reason: 'oom', kind: 'node-process', signal: 'SIGABRT', pid });
  t.false(isAlive(pid!));
  await neighbour.stop();
});

test.serial('a Node child capped through the NODE_OPTIONS it is given is classified oom too', async (t) => {
  const capped = await worker(nodeProcessProfile<Api>({ module, env: { NODE_OPTIONS: '--max-old-space-size=32' } }));
  const error = await t.throwsAsync(capped.request('oom', undefined as never), { instanceOf: WorkerExitError });
  t.like(error?.exit, { reason: 'oom', signal: 'SIGABRT' });
});

test('stdioProfile and pythonProfile have no withHeapLimit (a pool must check for it); a bad byte count names the call', (t) => {
  t.is(stdioProfile({ command: 'cat' }).withHeapLimit, undefined);
  t.is(pythonProfile({ script: fileURLToPath(new URL('../../../test/fixtures/worker.py', import.meta.url)) }).withHeapLimit, undefined);
  for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '64' as never]) {
    t.throws(() => threadProfile({ module }).withHeapLimit!(bad), { instanceOf: InvalidOptionError, message: /threadProfile: withHeapLimit\(maxHeapBytes\) must be a positive number of bytes/ });
    t.throws(() => nodeProcessProfile({ module }).withHeapLimit!(bad), { instanceOf: InvalidOptionError, message: /nodeProcessProfile: withHeapLimit\(maxHeapBytes\)/ });
  }
});

/** Runs `script` in a child Node with the given flags/env; resolves with its exit code and stderr. */
function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; pid: number }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  const pid = track(child.pid);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr, pid })));
}

test.serial('a capped thread started in a parent with --max-old-space-size (argv or NODE_OPTIONS) logs heap_limit_overridden once through the actor logger (nodejs/node#43991)', async (t) => {
  const index = new URL('../../src/index.js', import.meta.url).href;
  const core = import.meta.resolve('@arbor/core');
  // Two capped workers and an uncapped one, through the worker actor (its logger): one warning.
  const script = `const { threadProfile, startWorker } = await import(${JSON.stringify(index)});
    const { createLogger, createSystem } = await import(${JSON.stringify(core)});
    const system = createSystem({ logger: createLogger('warn', { format: 'json' }) });
    const profile = threadProfile({ module: ${JSON.stringify(module.href)}, execArgv: [] });
    for (const p of [profile, profile.withHeapLimit(32 * 1024 * 1024), profile.withHeapLimit(40 * 1024 * 1024)]) await startWorker(system, { profile: p });
    await system.shutdown();`;
  const runs = [
    { flags: ['--max-old-space-size=200'], env: {} },
    { flags: [], env: { NODE_OPTIONS: '--max-old-space-size=200' } },
    { flags: [], env: {} },
  ];
  const [argv, nodeOptions, plain] = await Promise.all(runs.map((run) => runChild([...run.flags, '--input-type=module', '-e', script], { ...run.env, ARBOR_LOG_LEVEL: 'warn' })));
  for (const [what, run] of [['argv', argv!], ['NODE_OPTIONS', nodeOptions!]] as const) {
    t.is(run.code, 0, run.stderr);
    const warnings = run.stderr.split('\n').filter((line) => line.includes('heap_limit_overridden'));
    t.is(warnings.length, 1, `${what}: ${run.stderr}`);
    t.like(JSON.parse(warnings[0]!), { level: 'warn', report: 'heap_limit_overridden', maxOldGenerationSizeMb: 32 });
    t.regex(warnings[0]!, /overrides resourceLimits\.maxOldGenerationSizeMb.*nodejs\/node#43991/, what);
  }
  t.is(plain!.code, 0, plain!.stderr);
  t.false(plain!.stderr.includes('heap_limit_overridden'), 'no warning without the flag');
  t.true(await eventually(() => ![argv!, nodeOptions!, plain!].some((run) => isAlive(run.pid))), 'the children are reaped');
});
