import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setImmediate as tick } from 'node:timers/promises';
import { Agent, createSystem, InvalidOptionError, type ActorRef, type ActorSystem } from '@arbor/core';
import { threadProfile, WorkerStartError, type ThreadProfileOptions, type WorkerConn, type WorkerExit } from '../../src/index.js';
import type { Api } from '../fixtures/nodeWorker.js';
import { eventually, harness } from '../support/connHarness.js';

const fixture = new URL('../fixtures/nodeWorker.js', import.meta.url);
let system: ActorSystem;
let actor: ActorRef;
let started = 0;
const conns: WorkerConn[] = [];

test.before(async () => {
  system = createSystem();
  actor = await Agent.start(system, () => 0);
});

test.after.always(async () => {
  // every thread a test started has reported its exit (Node's 'exit': the thread is gone)
  const exits = await Promise.all(conns.map((c) => c.stop(1000)));
  await system.shutdown();
  if (exits.length !== started || exits.some((e) => e === undefined)) throw new Error(`started ${started} threads, saw ${exits.length} exits`);
});

async function start(options: Partial<ThreadProfileOptions> = {}, readyTimeoutMs = 20_000) {
  const profile = threadProfile<Api>({ module: fixture, ...options });
  const conn = await profile.start({ workerId: `t-${++started}`, system, actor, readyTimeoutMs });
  conns.push(conn);
  return harness(conn);
}

/** The exit came exactly once, and stays the only one. */
async function exitedOnce(h: ReturnType<typeof harness>): Promise<WorkerExit> {
  const exit = await h.exited();
  for (let i = 0; i < 5; i++) await tick();
  if (h.exits.length !== 1) throw new Error(`onExit ran ${h.exits.length} times`);
  let late = 0;
  h.conn.onExit(() => late++); // registered after the exit: runs once, on a microtask
  await tick();
  if (late !== 1) throw new Error(`a late onExit receiver ran ${late} times`);
  return exit;
}

test.serial('start resolves at READY with the handler names, the thread id and the module', async (t) => {
  const h = await start({ capacity: 3 });
  t.is(h.conn.kind, 'thread');
  t.is(typeof h.conn.threadId, 'number');
  t.is(h.conn.pid, undefined);
  t.true(h.conn.methods?.includes('add'));
  t.true(h.conn.methods?.includes('waitForAbort'));
  t.is(h.conn.meta.module, fixture.href);
  t.is(h.conn.meta.transport, 'thread');
  const profile = threadProfile<Api>({ module: fixture, capacity: 3 });
  t.is(profile.kind, 'thread');
  t.false(profile.isProcess);
  t.is(profile.capacity, 3);
  t.like(await h.conn.stop(5000), { reason: 'normal', workerId: h.conn.workerId, kind: 'thread' });
});

test.serial('requests answer res, handler errors answer err with name, message and code, unknown methods answer unknown_method', async (t) => {
  const h = await start();
  t.like(await h.request('add', 1), { t: 'res', v: 2 });
  t.like(await h.request('later', 4), { t: 'res', v: 8 });
  const sync = await h.request('fail', 'bad input');
  t.like(sync, { t: 'err', e: { name: 'TypeError', message: 'bad input', code: 'E_FIXTURE' } });
  t.regex((sync as { e: { stack: string } }).e.stack, /nodeWorker/);
  t.like(await h.request('failLater', 'later bad'), { t: 'err', e: { name: 'RangeError', message: 'later bad' } });
  t.like(await h.request('nope', 1), { t: 'err', e: { code: 'unknown_method' } });
  const unclonable = await h.request('unclonable', null);
  t.like(unclonable, { t: 'err', e: { code: 'unserializable_reply' } });
  t.like(await h.request('add', 41), { t: 'res', v: 42 }, 'the worker keeps serving after a reply that could not cross');
  const pings = h.frames.length;
  h.conn.send({ t: 'ping', id: 77 });
  t.true(await eventually(() => h.frames.slice(pings).some((f) => f.t === 'pong' && f.id === 77 && typeof f.h === 'number' && f.h > 0)));
  t.true(h.frames.some((f) => f.t === 'stats' && typeof f.h === 'number' && f.h > 0), 'the first reply batch carries a stats frame');
  t.is(h.frames.filter((f) => f.t === 'res' || f.t === 'err').length, 7, 'one reply per request');
  t.like(await h.conn.stop(5000), { reason: 'normal' });
});

test.serial('1000 requests sent in one tick reach the worker as 4 wire messages and each gets one reply', async (t) => {
  const h = await start();
  const replies = [];
  for (let i = 0; i < 1000; i++) replies.push(h.request('add', i));
  const values = (await Promise.all(replies)).map((f) => (f.t === 'res' ? f.v : f.e));
  t.deepEqual(values, Array.from({ length: 1000 }, (_, i) => i + 1));
  const seen = await h.request('messagesSeen', null);
  t.like(seen, { t: 'res', v: 4 + 1 }, '256 + 256 + 256 + 232 frames, then this request alone');
  t.like(await h.conn.stop(5000), { reason: 'normal' });
});

test.serial('a transfer list moves an ArrayBuffer to the worker', async (t) => {
  const h = await start();
  const buffer = new ArrayBuffer(4096);
  const reply = h.request('byteLength', buffer, [buffer]);
  t.like(await reply, { t: 'res', v: 4096 });
  t.is(buffer.byteLength, 0, 'detached here: moved, not copied');
  t.like(await h.conn.stop(5000), { reason: 'normal' });
});

test.serial("cancel fires the task's signal and the request answers err cancelled; a cancel of an unknown id is ignored", async (t) => {
  const h = await start();
  const id = h.send('waitForAbort', null);
  t.like(await h.request('aborts', null), { v: 0 });
  h.conn.send({ t: 'cancel', id });
  t.true(await eventually(() => h.frames.some((f) => f.t === 'err' && f.id === id)));
  t.like(h.frames.find((f) => f.t === 'err' && f.id === id), { e: { name: 'AbortError', code: 'cancelled' } });
  t.like(await h.request('aborts', null), { v: 1 }, 'the handler saw its signal fire');
  h.conn.send({ t: 'cancel', id }); // finished now
  h.conn.send({ t: 'cancel', id: 9999 }); // never existed
  t.like(await h.request('add', 1), { v: 2 });
  t.is(h.frames.filter((f) => (f.t === 'res' || f.t === 'err') && f.id === id).length, 1, 'exactly one reply for the cancelled id');
  t.false(h.frames.some((f) => (f.t === 'res' || f.t === 'err') && f.id === 9999));
  t.like(await h.conn.stop(5000), { reason: 'normal' });
});

test.serial('an unawaited throw in a handler crashes the worker: crash with the error, once', async (t) => {
  const h = await start();
  const pending = h.send('waitForAbort', null);
  t.like(await h.request('crashSoon', null), { v: 'started' });
  const exit = await exitedOnce(h);
  t.like(exit, { reason: 'crash', kind: 'thread', error: { name: 'Error', message: 'fixture: unawaited failure' } });
  t.false(h.frames.some((f) => (f.t === 'res' || f.t === 'err') && f.id === pending), 'no reply for the request in flight');
  h.conn.send({ t: 'req', id: 1000, m: 'add', a: 1 }); // dropped, never throws
  t.is(await h.conn.stop(100), exit);
});

test.serial('process.exit(3) in a handler is exit 3; process.exit(0) is normal', async (t) => {
  const three = await start();
  three.send('exit', 3);
  t.like(await exitedOnce(three), { reason: 'exit', code: 3 });
  const zero = await start();
  zero.send('exit', 0);
  t.like(await exitedOnce(zero), { reason: 'normal' });
});

test.serial('a thread past resourceLimits.maxOldGenerationSizeMb 32 is oom', async (t) => {
  const h = await start({ resourceLimits: { maxOldGenerationSizeMb: 32 } });
  t.like(h.conn.meta.resourceLimits, { maxOldGenerationSizeMb: 32 });
  h.send('oom', null);
  const exit = await exitedOnce(h);
  t.like(exit, { reason: 'oom', error: { code: 'ERR_WORKER_OUT_OF_MEMORY' } });
});

test.serial("kill is killed by arbor with its cause; stop of a busy worker kills it after the grace (stop_timeout); stop of an idle one is normal", async (t) => {
  const killed = await start();
  killed.send('waitForAbort', null);
  killed.conn.kill('shutdown');
  killed.conn.kill('health_timeout'); // idempotent: the first cause stays
  t.like(await exitedOnce(killed), { reason: 'killed', signal: 'terminate', by: 'arbor', cause: 'shutdown' });

  const busy = await start();
  busy.send('spin', 60_000);
  const exit = await busy.conn.stop(200);
  t.like(exit, { reason: 'killed', by: 'arbor', cause: 'stop_timeout' });
  t.is(await exitedOnce(busy), exit);

  const idle = await start();
  const [a, b] = await Promise.all([idle.conn.stop(20_000), idle.conn.stop(20_000)]);
  t.like(a, { reason: 'normal' });
  t.is(a, b, 'stop is idempotent');
  t.is(await exitedOnce(idle), a);
});

test.serial('an import error, a missing module and a silent module reject start with WorkerStartError and leave no thread', async (t) => {
  const ctx = (n: string, readyTimeoutMs = 20_000) => ({ workerId: n, system, actor, readyTimeoutMs });
  const broken = await t.throwsAsync(threadProfile({ module: new URL('../fixtures/throwsAtImport.js', import.meta.url) }).start(ctx('broken')), { instanceOf: WorkerStartError });
  t.like(broken?.exit, { reason: 'startup_failed', kind: 'thread', workerId: 'broken', error: { message: 'fixture: broken at import' } });
  t.regex(broken?.exit.reason === 'startup_failed' ? broken.exit.detail : '', /broken at import/);
  t.regex(broken?.message ?? '', /failed to start: Error: fixture: broken at import/);

  const missing = await t.throwsAsync(threadProfile({ module: new URL('../fixtures/doesNotExist.js', import.meta.url) }).start(ctx('missing')), { instanceOf: WorkerStartError });
  t.regex(missing?.exit.reason === 'startup_failed' ? missing.exit.detail : '', /doesNotExist|Cannot find module/);

  const silent = await t.throwsAsync(threadProfile({ module: new URL('../fixtures/neverReady.js', import.meta.url) }).start(ctx('silent', 300)), { instanceOf: WorkerStartError });
  t.regex(silent?.exit.reason === 'startup_failed' ? silent.exit.detail : '', /start_timeout: no READY frame within 300 ms/);
});

test('threadProfile validates its options and names the field', (t) => {
  t.throws(() => threadProfile({ module: fixture, capacty: 2 } as ThreadProfileOptions), { instanceOf: InvalidOptionError, message: /"capacty".*did you mean capacity/ });
  t.throws(() => threadProfile({ module: fixture, capacity: 0 }), { instanceOf: InvalidOptionError, message: /options\.capacity must be a positive integer/ });
  t.throws(() => threadProfile({} as ThreadProfileOptions), { instanceOf: InvalidOptionError, message: /options\.module/ });
  t.throws(() => threadProfile(undefined as unknown as ThreadProfileOptions), { instanceOf: InvalidOptionError, message: /options/ });
  t.throws(() => threadProfile({ module: new URL('https://example.com/w.js') }), { instanceOf: InvalidOptionError, message: /file: URL/ });
  t.throws(() => threadProfile({ module: fixture, resourceLimits: { maxOldGenSizeMb: 1 } as never }), { instanceOf: InvalidOptionError, message: /resourceLimits.*"maxOldGenSizeMb"/ });
  t.throws(() => threadProfile({ module: fixture, resourceLimits: { stackSizeMb: -1 } }), { instanceOf: InvalidOptionError, message: /resourceLimits\.stackSizeMb/ });
  t.throws(() => threadProfile({ module: fixture, execArgv: [1] as never }), { instanceOf: InvalidOptionError, message: /options\.execArgv/ });
  t.is(threadProfile({ module: fixture.pathname }).kind, 'thread', 'a path works as well as a URL');
});

test.serial('a capped thread started without a logger in a parent with --max-old-space-size emits one ARBOR_THREAD_LIMITS process warning (nodejs/node#43991)', async (t) => {
  const index = new URL('../../src/index.js', import.meta.url).href;
  const script = `const { threadProfile } = await import(${JSON.stringify(index)});
    const profile = threadProfile({ module: ${JSON.stringify(fixture.href)}, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 32 } });
    threadProfile({ module: ${JSON.stringify(fixture.href)}, resourceLimits: { maxOldGenerationSizeMb: 32 } }); // making one does not warn
    for (let i = 0; i < 2; i++) { const conn = await profile.start({ workerId: 'w' + i, readyTimeoutMs: 15000 }); await conn.stop(5000); }`;
  const child = spawn(process.execPath, ['--max-old-space-size=200', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  t.is(code, 0, stderr);
  t.is(stderr.match(/\[ARBOR_THREAD_LIMITS\]/g)?.length, 1, stderr);
  t.regex(stderr, /overrides resourceLimits\.maxOldGenerationSizeMb/);
  t.true(await eventually(() => !existsSync(`/proc/${child.pid}`)), 'the child is reaped');
});
