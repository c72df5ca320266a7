import test from 'ava';
import { pythonProfile, resolvePython, WorkerStartError } from '../../src/index.js';
import { cleanUpFile, fixture, isAlive, rig, track, watch } from '../support/helpers.js';

test.after.always(cleanUpFile);

test('resolvePython gives the real interpreter, once', async (t) => {
  const path = await resolvePython();
  t.true(path.startsWith('/'));
  t.is(resolvePython(), resolvePython(), 'cached');
  await t.throwsAsync(resolvePython('/no/such/python3'));
});

test('a script\'s public functions are served; req/res/err with traceback, print() goes to stderr, a cancel in the same batch answers cancelled', async (t) => {
  const r = await rig();
  const conn = await r.start(pythonProfile({ script: fixture('worker.py') }));
  const w = watch(conn);
  t.is(conn.kind, 'python');
  t.like(conn.meta, { lang: 'python' });
  t.deepEqual([...conn.methods!].sort(), ['add', 'alloc', 'exit_when_file', 'fail', 'hard_exit', 'hold', 'later', 'leave', 'pid', 'rendezvous', 'spin', 'unserializable', 'upper']);
  conn.send({ t: 'req', id: 1, m: 'add', a: { a: 2, b: 3 } });
  conn.send({ t: 'req', id: 2, m: 'upper', a: 'abc' });
  conn.send({ t: 'req', id: 3, m: 'fail', a: 'bad input' });
  conn.send({ t: 'req', id: 4, m: 'nope', a: 1 });
  conn.send({ t: 'cancel', id: 5 });
  conn.send({ t: 'req', id: 5, m: 'add', a: { a: 1, b: 1 } });
  conn.send({ t: 'ping', id: 6 });
  conn.send({ t: 'req', id: 7, m: 'later', a: 'awaited' });
  conn.send({ t: 'req', id: 8, m: 'unserializable', a: null });
  t.like(await w.reply(1), { t: 'res', v: 5 });
  t.like(await w.reply(2), { t: 'res', v: 'ABC' });
  const err = await w.reply(3);
  t.like(err, { t: 'err', e: { name: 'ValueError', message: 'bad input' } });
  t.regex((err['e'] as { stack: string }).stack, /Traceback[\s\S]*in fail/);
  t.like(await w.reply(4), { e: { code: 'unknown_method' } });
  t.like(await w.reply(5), { e: { code: 'cancelled', name: 'AbortError' } });
  t.true(w.frames.some((f) => f['t'] === 'pong' && f['id'] === 6));
  t.like(await w.reply(7), { t: 'res', v: 'awaited' }, 'a coroutine handler is awaited');
  t.like(await w.reply(8), { t: 'err', e: { name: 'TypeError' } }, 'a reply JSON cannot carry fails only its request');
  t.like(await conn.stop(5_000), { reason: 'normal' }, 'stdin EOF ends it');
  t.false(isAlive(conn.pid!));
  t.is(await r.registry.getWorkerInfo(conn.workerId), undefined);
  await r.close();
});

test('HANDLERS dict wins over functions; SystemExit flushes the batch\'s replies and exits with its code', async (t) => {
  const r = await rig();
  const a = await r.start(pythonProfile({ script: fixture('handlers_dict.py') }));
  t.deepEqual(a.methods, ['double']);
  const b = await r.start(pythonProfile({ script: fixture('worker.py') }));
  const wa = watch(a);
  const wb = watch(b);
  a.send({ t: 'req', id: 1, m: 'double', a: 21 });
  t.like(await wa.reply(1), { v: 42 });
  b.send({ t: 'req', id: 1, m: 'add', a: { a: 1, b: 2 } });
  b.send({ t: 'req', id: 2, m: 'leave', a: 4 });
  t.like(await wb.exited(), { reason: 'exit', code: 4 });
  t.like(wb.frames.find((f) => f['id'] === 1), { t: 'res', v: 3 }, 'the reply written just before the exit was read before the exit was reported');
  t.like(await a.stop(5_000), { reason: 'normal' });
  await r.close();
});

test('an import error fails the start quoting stderr; a busy worker is SIGKILLed by stop; prlimit makes a big allocation fail', async (t) => {
  const r = await rig();
  const error = await t.throwsAsync(r.start(pythonProfile({ script: fixture('bad_import.py') })), { instanceOf: WorkerStartError });
  t.regex(error!.message, /exited with code 1 before READY: ModuleNotFoundError: No module named 'arbor_no_such_module'/);
  track((error as WorkerStartError).exit.pid);

  const busy = await r.start(pythonProfile({ script: fixture('worker.py') }));
  busy.send({ t: 'req', id: 1, m: 'spin', a: null });
  t.like(await busy.stop(200), { reason: 'killed', by: 'arbor' });
  t.false(isAlive(busy.pid!));

  const capped = await r.start(pythonProfile({ script: fixture('worker.py'), addressSpaceLimitBytes: 512 * 1024 * 1024 }));
  t.true((capped.meta['argv'] as string[]).includes('--as=536870912'));
  const w = watch(capped);
  capped.send({ t: 'req', id: 1, m: 'alloc', a: 1024 });
  capped.send({ t: 'req', id: 2, m: 'alloc', a: 16 });
  t.like(await w.reply(1), { t: 'err', e: { name: 'MemoryError' } });
  t.like(await w.reply(2), { t: 'res', v: 16 * 1024 * 1024 }, 'it keeps serving');
  await capped.stop(5_000);
  t.deepEqual(await r.registry.listAllWorkers(), []);
  await r.close();
});

test('capacity 2 runs two requests at once on a thread pool; a queued one can be cancelled', async (t) => {
  const r = await rig();
  const conn = await r.start(pythonProfile({ script: fixture('worker.py'), capacity: 2 }));
  const w = watch(conn);
  conn.send({ t: 'req', id: 1, m: 'rendezvous', a: 'a' });
  conn.send({ t: 'req', id: 2, m: 'rendezvous', a: 'b' });
  t.like(await w.reply(1), { t: 'res', v: 'a' }, 'both ran at once (a barrier of two)');
  t.like(await w.reply(2), { t: 'res', v: 'b' });
  conn.send({ t: 'req', id: 10, m: 'hold', a: 1 });
  conn.send({ t: 'req', id: 11, m: 'hold', a: 2 });
  conn.send({ t: 'req', id: 3, m: 'add', a: { a: 1, b: 1 } });
  await new Promise((resolve) => setImmediate(resolve));
  conn.send({ t: 'cancel', id: 3 });
  t.like(await w.reply(3), { t: 'err', e: { code: 'cancelled' } }, 'it was queued behind the two held requests');
  process.kill(conn.pid!, 'SIGUSR1');
  t.like(await w.reply(10), { t: 'res', v: 1 });
  t.like(await w.reply(11), { t: 'res', v: 2 });
  conn.send({ t: 'req', id: 4, m: 'fail', a: 'x' });
  conn.send({ t: 'ping', id: 5 });
  t.like(await w.reply(4), { t: 'err', e: { name: 'ValueError' } });
  t.true(w.frames.some((f) => f['t'] === 'pong' && f['id'] === 5));
  t.like(await conn.stop(5_000), { reason: 'normal' }, 'stdin EOF ends it despite the pool threads');
  t.false(isAlive(conn.pid!));
  await r.close();
});
