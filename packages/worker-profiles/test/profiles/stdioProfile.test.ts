import test from 'ava';
import { stdioProfile, WorkerStartError } from '../../src/index.js';
import { cleanUpFile, fixture, isAlive, rig, track, watch } from '../support/helpers.js';

test.after.always(cleanUpFile);

const worker = () => stdioProfile({ command: process.execPath, args: [fixture('stdioWorker.mjs')] });

test('u32 frames over stdio: READY, batched requests, stdin EOF stops it normally, registry entry gone', async (t) => {
  const r = await rig();
  const conn = await r.start(worker());
  const w = watch(conn);
  t.is(conn.kind, 'stdio');
  t.deepEqual(conn.methods, ['echo', 'batchSize', 'exit', 'garbage']);
  t.like(await r.registry.getWorkerInfo(conn.workerId), { status: 'active', osPid: conn.pid });
  conn.send({ t: 'req', id: 1, m: 'echo', a: { s: 'héllo', n: [1, 2] } });
  conn.send({ t: 'req', id: 2, m: 'batchSize', a: null });
  conn.send({ t: 'ping', id: 3 });
  conn.send({ t: 'req', id: 4, m: 'nope', a: null });
  t.like(await w.reply(1), { v: { s: 'héllo', n: [1, 2] } });
  t.like(await w.reply(2), { v: 4 }, 'one message carried the four frames');
  t.like(await w.reply(4), { t: 'err', e: { code: 'unknown_method' } });
  t.true(w.frames.some((f) => f['t'] === 'pong' && f['id'] === 3));
  t.like(await conn.stop(5_000), { reason: 'normal' });
  t.false(isAlive(conn.pid!));
  t.is(await r.registry.getWorkerInfo(conn.workerId), undefined);
  await r.close();
});

test('exit code, a broken stream (crash with FramingError), external SIGKILL: once each', async (t) => {
  const r = await rig();
  const [a, b, c] = await Promise.all([r.start(worker()), r.start(worker()), r.start(worker())]);
  const [wa, wb, wc] = [watch(a), watch(b), watch(c)];
  a.send({ t: 'req', id: 1, m: 'exit', a: 7 });
  b.send({ t: 'req', id: 1, m: 'garbage', a: null });
  process.kill(c.pid!, 'SIGKILL');
  t.like(await wa.exited(), { reason: 'exit', code: 7 });
  t.like(await wb.exited(), { reason: 'crash', error: { name: 'FramingError' } });
  t.like(await wc.exited(), { reason: 'killed', by: 'external' });
  for (const conn of [a, b, c]) t.false(isAlive(conn.pid!));
  t.is(wa.exits.length + wb.exits.length + wc.exits.length, 3);
  await r.close();
});

test('start failures: no such command (nothing left, entry released)', async (t) => {
  const r = await rig();
  const error = await t.throwsAsync(r.start(stdioProfile({ command: '/no/such/arbor-command' })), { instanceOf: WorkerStartError });
  t.regex(error!.message, /no\/such\/arbor-command/);
  const pid = (error as WorkerStartError).exit.pid;
  if (pid !== undefined) t.false(isAlive(track(pid)));
  t.deepEqual(await r.registry.listAllWorkers(), []);
  await r.close();
});
