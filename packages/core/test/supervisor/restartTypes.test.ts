/**
 * Restart types x exit reasons (reference semantics §3): permanent is always restarted,
 * transient unless the reason is normal / shutdown / {shutdown, _}, temporary never (and
 * its spec is deleted).
 */
import test from 'ava';
import { createSystem, formatReason, shutdownWith, Supervisor, type ExitReason, type RestartType } from '../../src/index.js';
import { exitChild, exitOf, refs, restarted, worker } from '../support/supervisorWorkers.js';

const reasons: [string, () => ExitReason, unknown][] = [
  // [label, reason sent, reason the child exits with]
  ["'normal'", () => 'normal', 'normal'],
  ["'shutdown'", () => 'shutdown', 'shutdown'],
  ['{shutdown: x} (shutdownWith)', () => shutdownWith('x'), shutdownWith('x')],
  ["'kill' (exits 'killed')", () => 'kill', 'killed'],
  ['an Error', () => new Error('boom'), new Error('boom')],
  ["a custom string 'custom'", () => 'custom', 'custom'],
];

const normal = new Set(["'normal'", "'shutdown'", '{shutdown: x} (shutdownWith)']);

function restartedFor(restart: RestartType, label: string): boolean {
  if (restart === 'permanent') return true;
  if (restart === 'transient') return !normal.has(label);
  return false;
}

for (const restart of ['permanent', 'transient', 'temporary'] as const) {
  for (const [label, reason, exitsWith] of reasons) {
    const expected = restartedFor(restart, label);
    test(`a ${restart} child that exits with ${label} is ${expected ? 'restarted' : 'not restarted'}`, async (t) => {
      const system = createSystem();
      const events: string[] = [];
      const sup = await Supervisor.start(system, {
        children: [worker('before', events), worker('child', events, { restart }), worker('after', events)],
      });
      const before = await refs(sup);
      const old = await exitChild(system, sup, 'child', reason());
      t.deepEqual(await exitOf(system, old), exitsWith, 'the child exits with the expected reason');
      // A child that stops itself runs terminate; a killed one does not.
      const own = exitsWith === 'killed' ? [] : [`stop child ${formatReason(exitsWith)}`];

      if (expected) {
        const now = await restarted(sup, 'child', old);
        t.not(now, old);
        t.deepEqual(
          (await Supervisor.whichChildren(sup)).map((c) => c.id),
          ['before', 'child', 'after'],
          'restarted in its original position',
        );
        t.deepEqual(events, ['start before', 'start child', 'start after', ...own, 'start child']);
      } else {
        // The EXIT is queued before this call: the answer reflects it.
        const children = await Supervisor.whichChildren(sup);
        if (restart === 'temporary') {
          t.deepEqual(
            children.map((c) => c.id),
            ['before', 'after'],
            'a temporary child spec is deleted',
          );
          t.is(await Supervisor.getChildSpec(sup, 'child'), 'not_found');
          t.deepEqual(await Supervisor.countChildren(sup), { specs: 2, active: 2, supervisors: 0, workers: 2 });
        } else {
          t.deepEqual(
            children.map((c) => [c.id, c.ref === undefined]),
            [
              ['before', false],
              ['child', true],
              ['after', false],
            ],
            'a transient child spec is kept with no ref',
          );
          t.deepEqual(await Supervisor.countChildren(sup), { specs: 3, active: 2, supervisors: 0, workers: 3 });
        }
        t.deepEqual(events, ['start before', 'start child', 'start after', ...own]);
      }
      const after = await refs(sup);
      t.is(after['before'], before['before'], 'siblings keep their refs');
      t.is(after['after'], before['after']);
      t.true(system.isAlive(sup));
      await system.shutdown();
    });
  }
}

test('a transient child that exited normally keeps its spec: restartChild starts it again', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [worker('t', events, { restart: 'transient' })] });
  const old = await exitChild(system, sup, 't', 'normal');
  await exitOf(system, old);
  t.deepEqual(await refs(sup), { t: undefined });
  const r = await Supervisor.restartChild(sup, 't');
  t.is(r.status, 'ok');
  t.deepEqual(await refs(sup), { t: r.status === 'ok' ? r.ref : undefined });
  t.deepEqual(events, ['start t', 'stop t normal', 'start t']);
  await system.shutdown();
});
