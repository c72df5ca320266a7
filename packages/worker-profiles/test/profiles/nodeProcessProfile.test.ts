import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeProcessProfile, WorkerStartError } from '../../src/index.js';
import { cleanUpFile, eventually, isAlive, rig, track, watch } from '../support/helpers.js';

test.after.always(cleanUpFile);

// The serveWorker runtime over Node IPC (compiled fixture), and modules that fail before READY.
const module = fileURLToPath(new URL('../fixtures/nodeWorker.js', import.meta.url));
const throwsAtImport = fileURLToPath(new URL('../fixtures/throwsAtImport.js', import.meta.url));
const neverReady = fileURLToPath(new URL('../fixtures/neverReady.js', import.meta.url));

test('starts at READY under setpriv, serves req/res/err in batches, is active in the registry, and stops normally', async (t) => {
  const r = await rig();
  const conn = await r.start(nodeProcessProfile({ module }));
  const w = watch(conn);
  for (const m of ['add', 'fail', 'exit', 'segv', 'oom', 'spin', 'pid', 'echo', 'messagesSeen']) t.true(conn.methods!.includes(m), m);
  t.is(conn.kind, 'node-process');
  const argv = readFileSync(`/proc/${conn.pid}/cmdline`, 'utf8').split('\0');
  t.true(argv.includes(module), 'the child runs the module');
  t.deepEqual((conn.meta['argv'] as string[]).slice(0, 4), ['/usr/bin/setpriv', '--pdeathsig', 'KILL', '--']);
  t.like(await r.registry.getWorkerInfo(conn.workerId), { status: 'active', osPid: conn.pid });
  conn.send({ t: 'req', id: 1, m: 'add', a: 41 });
  conn.send({ t: 'req', id: 2, m: 'fail', a: 'boom' });
  conn.send({ t: 'req', id: 3, m: 'messagesSeen', a: null });
  t.like(await w.reply(1), { t: 'res', v: 42 });
  t.like(await w.reply(2), { t: 'err', e: { message: 'boom' } });
  t.like(await w.reply(3), { t: 'res', v: 1 }, 'the three sends of one microtask went as one wire message');
  const exit = await conn.stop(5_000);
  t.like(exit, { reason: 'normal', pid: conn.pid, kind: 'node-process' });
  t.false(isAlive(conn.pid!));
  t.is(await r.registry.getWorkerInfo(conn.workerId), undefined, 'the entry is gone after stop');
  await eventually(() => w.exits.length === 1);
  t.is(w.exits.length, 1);
  await r.close();
});

test('each exit class, reported exactly once', async (t) => {
  const r = await rig();
  const cases: [string, Record<string, unknown>, string[]?][] = [
    ['exit', { reason: 'exit', code: 1 }],
    ['segv', { reason: 'crash', signal: 'SIGSEGV' }],
    ['oom', { reason: 'oom', signal: 'SIGABRT' }, ['--max-old-space-size=32']],
  ];
  await Promise.all(
    cases.map(async ([method, expected, execArgv]) => {
      const conn = await r.start(nodeProcessProfile({ module, execArgv: execArgv ?? [] }));
      const w = watch(conn);
      conn.send({ t: 'req', id: 1, m: method, a: 1 });
      t.like(await w.exited(), expected, method);
      t.false(isAlive(conn.pid!));
      t.is(await r.registry.getWorkerInfo(conn.workerId), undefined);
    }),
  );
  // external SIGKILL vs our kill
  const a = await r.start(nodeProcessProfile({ module }));
  const b = await r.start(nodeProcessProfile({ module }));
  const wa = watch(a);
  const wb = watch(b);
  process.kill(a.pid!, 'SIGKILL');
  b.kill('health_timeout');
  b.kill('shutdown');
  t.like(await wa.exited(), { reason: 'killed', signal: 'SIGKILL', by: 'external' });
  t.like(await wb.exited(), { reason: 'killed', signal: 'SIGKILL', by: 'arbor', cause: 'health_timeout' });
  t.like(await b.stop(100), { reason: 'killed' }, 'stop after the exit resolves with the same exit');
  const late: unknown[] = [];
  b.onExit((e) => late.push(e));
  t.is(late.length, 0, 'a receiver set after the exit is called on a microtask, not synchronously');
  await Promise.resolve();
  t.deepEqual(late, [wb.exits[0]]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.is(wa.exits.length + wb.exits.length, 2, 'exactly once each');
  a.send({ t: 'req', id: 9, m: 'add', a: 1 }); // dropped, does not throw
  t.is(wa.frames.length, 0);
  await r.close();
});

test('stop escalates to SIGTERM then SIGKILL for a child stuck in a sync loop', async (t) => {
  const r = await rig();
  const conn = await r.start(nodeProcessProfile({ module }));
  conn.send({ t: 'req', id: 1, m: 'spin', a: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const exit = await conn.stop(200);
  t.like(exit, { reason: 'killed', by: 'arbor', cause: 'stop_timeout' });
  t.false(isAlive(conn.pid!));
  await r.close();
});

test('start failures: no registry, exit before READY (stderr quoted), no READY in time; nothing left', async (t) => {
  const r = await rig();
  const bare = await import('@arbor/core').then((core) => core.createSystem({ logger: core.createLogger('silent') }));
  const noRegistry = await t.throwsAsync(nodeProcessProfile({ module }).start({ workerId: 'x', system: bare, actor: r.actor, readyTimeoutMs: 1000 }), { instanceOf: WorkerStartError });
  t.regex(noRegistry!.message, /ProcessRegistry\.start\(system, \{ name: 'process-registry' \}\)/);
  await bare.shutdown();

  const failing = await t.throwsAsync(r.start(nodeProcessProfile({ module: throwsAtImport })), { instanceOf: WorkerStartError });
  t.regex(failing!.message, /exited with code 1 before READY: .*fixture: broken at import/s);
  track((failing as WorkerStartError).exit.pid);

  const silent = await t.throwsAsync(r.start(nodeProcessProfile({ module: neverReady }), 300), { instanceOf: WorkerStartError });
  t.regex(silent!.message, /sent no READY within 300 ms/);
  const pid = track((silent as WorkerStartError).exit.pid);
  t.false(isAlive(pid), 'the start timeout killed it before rejecting');
  t.deepEqual(await r.registry.listAllWorkers(), [], 'every failed start released its entry');
  await r.close();
});

test("serialization 'advanced' carries structured-clone values (Map, Buffer)", async (t) => {
  const r = await rig();
  const conn = await r.start(nodeProcessProfile({ module, serialization: 'advanced' }));
  const w = watch(conn);
  conn.send({ t: 'req', id: 1, m: 'echo', a: new Map([['k', Buffer.from('hi')]]) });
  const reply = await w.reply(1);
  t.true(reply['v'] instanceof Map);
  t.is(Buffer.from((reply['v'] as Map<string, Uint8Array>).get('k')!).toString(), 'hi');
  t.like(await conn.stop(5_000), { reason: 'normal' });
  await r.close();
});

test('bad options throw InvalidOptionError naming the field', async (t) => {
  const { InvalidOptionError } = await import('@arbor/core');
  const { pythonProfile, stdioProfile } = await import('../../src/index.js');
  t.throws(() => nodeProcessProfile({ module, execArgs: [] } as never), { instanceOf: InvalidOptionError, message: /"execArgs".*did you mean execArgv/ });
  t.throws(() => nodeProcessProfile({ module: 42 } as never), { instanceOf: InvalidOptionError, message: /module/ });
  t.throws(() => nodeProcessProfile({ module, capacity: 0 }), { instanceOf: InvalidOptionError, message: /capacity/ });
  t.throws(() => nodeProcessProfile({ module, serialization: 'v8' as never }), { instanceOf: InvalidOptionError, message: /serialization/ });
  t.throws(() => stdioProfile({ command: '' }), { instanceOf: InvalidOptionError, message: /command/ });
  t.throws(() => stdioProfile({ command: 'x', addressSpaceLimitBytes: -1 }), { instanceOf: InvalidOptionError, message: /addressSpaceLimitBytes/ });
  t.throws(() => pythonProfile({}), { instanceOf: InvalidOptionError, message: /script/ });
  t.throws(() => pythonProfile({ script: 'a.py', module: 'a' }), { instanceOf: InvalidOptionError, message: /not both/ });
});
