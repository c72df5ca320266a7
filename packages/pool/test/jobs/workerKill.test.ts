// A job pool worker's actor killed from outside (not its thread exiting): its running job
// fails with the worker's error, and the queued jobs, which never ran, run on the replacement.
import test from 'ava';
import { DynamicSupervisor, Supervisor, type ActorRef } from '@arbor/core';
import { JobWorkerExitError, Pools } from '../../src/index.js';
import { jobRig, noteFile, T, until } from '../support/jobs.js';

const rig = jobRig(test, 2);

async function workersOf(name: string): Promise<ActorRef[]> {
  const sup = Pools.of(rig.system).whereis(name)!;
  const ws = (await Supervisor.whichChildren(sup as never)).find((c) => c.id === 'workers')!.ref as ActorRef;
  return (await DynamicSupervisor.whichChildren(ws as never)).flatMap((c) => (typeof c.ref === 'object' ? [c.ref] : []));
}

test('the worker actor killed while jobs wait: the running job fails, the queued ones run on the replacement', async (t) => {
  const notes = noteFile();
  const pool = await rig.pool('wk', { minWorkers: 1, maxWorkers: 1, queueTimeoutMs: Infinity });
  const running = pool.run(T.note, [notes.file, 'r', 10_000], { name: 'r' });
  const queued = [0, 1, 2].map((i) => pool.run(T.note, [notes.file, `q${i}`, 0]));
  await until(() => notes.has('start r'), 'r running');
  const [w] = await workersOf(pool.name);
  rig.system.exit(w!, 'kill');
  const e = await t.throwsAsync(running);
  t.true(e instanceof JobWorkerExitError, `${e?.name}: ${e?.message}`);
  t.deepEqual(await Promise.all(queued), ['q0', 'q1', 'q2']);
  t.like(pool.status(), { running: 0, queued: 0 });
  await until(() => pool.status().workers === 1, 'minWorkers');
});
