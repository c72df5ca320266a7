/**
 * Supervisor reports (winston meta with fixed keys): child_started (debug), child_crashed
 * (error), child_restarted (info), restart_failed, intensity_reached, shutdown_error (error).
 */
import test from 'ava';
import { DynamicSupervisor, Supervisor, type SupervisorReport } from '../../src/index.js';
import { capturingSystem, syncLogs, type LogLine } from '../support/helpers.js';
import { exitChild, exitOf, refOf, restarted, Worker, worker } from '../support/supervisorWorkers.js';

const KEYS = ['child', 'childId', 'reason', 'report', 'restarts', 'supervisor', 'supervisorName'];

function reportKeys(line: LogLine): string[] {
  return Object.keys(line)
    .filter((k) => k !== 'level' && k !== 'message')
    .sort();
}

/** The supervisor reports among the log lines (crash reports of the children left out). */
function supervisorReports(lines: readonly LogLine[]): (LogLine & SupervisorReport)[] {
  return lines.filter((l) => typeof l.supervisor === 'string') as (LogLine & SupervisorReport)[];
}

test('child_started (debug), child_crashed (error), child_restarted (info): exactly the fixed keys', async (t) => {
  const { system, logs } = capturingSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [worker('a', events)] }, { name: 'root' });
  const old = await exitChild(system, sup, 'a', 'crash-reason');
  const now = await restarted(sup, 'a', old);
  const lines = supervisorReports(await syncLogs(system, logs));
  t.deepEqual(
    lines.map((l) => [l.report, l.level]),
    [
      ['child_started', 'debug'],
      ['child_crashed', 'error'],
      ['child_started', 'debug'],
      ['child_restarted', 'info'],
    ],
  );
  for (const l of lines) t.deepEqual(reportKeys(l), KEYS, `${l.report} has exactly the fixed keys`);
  const [started, crashed, , restartedLine] = lines;
  t.like(started, { message: 'child started', supervisor: sup.id, supervisorName: 'root', childId: 'a', child: old.id, reason: undefined, restarts: 0 });
  t.like(crashed, { message: 'child crashed', supervisor: sup.id, supervisorName: 'root', childId: 'a', child: old.id, reason: 'crash-reason', restarts: 0 });
  t.like(restartedLine, { message: 'child restarted', childId: 'a', child: now.id, reason: undefined, restarts: 1 });
  await system.shutdown();
});

test('normal exits are not reported as crashes', async (t) => {
  const { system, logs } = capturingSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [worker('t', events, { restart: 'transient' }), worker('tmp', events, { restart: 'temporary' })] });
  await exitOf(system, await exitChild(system, sup, 't', 'normal'));
  await exitOf(system, await exitChild(system, sup, 'tmp', 'shutdown'));
  await Supervisor.whichChildren(sup);
  const lines = supervisorReports(await syncLogs(system, logs));
  t.deepEqual(
    lines.map((l) => l.report),
    ['child_started', 'child_started'],
  );
  await system.shutdown();
});

test('restart_failed and intensity_reached (error) with the fixed keys', async (t) => {
  const { system, logs } = capturingSystem();
  const events: string[] = [];
  let broken = false;
  const sup = await Supervisor.start(system, { intensity: 1, period: 60_000, children: [worker('b', events, { failInit: () => broken })] });
  broken = true;
  const old = await exitChild(system, sup, 'b', 'kill');
  t.is(await exitOf(system, sup), 'shutdown');
  const lines = supervisorReports(await syncLogs(system, logs));
  t.deepEqual(
    lines.map((l) => [l.report, l.level]),
    [
      ['child_started', 'debug'],
      ['child_crashed', 'error'],
      ['restart_failed', 'error'],
      ['intensity_reached', 'error'],
    ],
  );
  for (const l of lines) t.deepEqual(reportKeys(l), KEYS, `${l.report} has exactly the fixed keys`);
  t.like(lines[1], { childId: 'b', child: old.id, reason: 'killed' });
  t.like(lines[2], { message: 'child restart failed', supervisor: sup.id, childId: 'b', child: undefined, restarts: 0 });
  t.regex(String(lines[2]!.reason), /^Error: init of b failed \(attempt 2\)$/);
  t.like(lines[3], { message: 'restart intensity reached: supervisor gives up', supervisor: sup.id, childId: 'b', child: undefined, restarts: 2 });
  await system.shutdown();
});

test('shutdown_error (error) when a child had to be killed, with the fixed keys', async (t) => {
  const { system, logs } = capturingSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [worker('h', events, { trap: true, shutdown: 50, terminateWait: 'forever' })] });
  const h = await refOf(sup, 'h');
  await system.stop(sup, 'shutdown');
  const lines = supervisorReports(await syncLogs(system, logs)).filter((l) => l.report === 'shutdown_error');
  t.is(lines.length, 1);
  t.deepEqual(reportKeys(lines[0]!), KEYS);
  t.like(lines[0], { level: 'error', message: 'child did not shut down cleanly', supervisor: sup.id, supervisorName: undefined, childId: 'h', child: h.id, reason: 'killed', restarts: 0 });
  await system.shutdown();
});

test('a dynamic supervisor reports with the child actor id as childId when the spec has none', async (t) => {
  const { system, logs } = capturingSystem();
  const events: string[] = [];
  const sup = await DynamicSupervisor.start(system, {}, { name: 'dyn' });
  const r = await DynamicSupervisor.startChild(sup, { start: { behaviour: Worker, arg: { id: 'w', events } } });
  if (r.status !== 'ok') return t.fail();
  system.exit(r.ref, 'kill');
  await exitOf(system, r.ref);
  await DynamicSupervisor.whichChildren(sup);
  const lines = supervisorReports(await syncLogs(system, logs));
  t.deepEqual(
    lines.map((l) => l.report),
    ['child_started', 'child_crashed', 'child_started', 'child_restarted'],
  );
  for (const l of lines) t.deepEqual(reportKeys(l), KEYS);
  t.like(lines[0], { supervisorName: 'dyn', childId: r.ref.id, child: r.ref.id });
  t.like(lines[1], { childId: r.ref.id, reason: 'killed' });
  await system.shutdown();
});

test('an orderly system.shutdown() logs nothing above debug: each supervisor stops its own children, in reverse start order', async (t) => {
  const { system, logs } = capturingSystem();
  const events: string[] = [];
  const root = await Supervisor.start(system, {
    children: [
      worker('a', events),
      worker('b', events, { trap: true }),
      Supervisor.childSpec({ children: [worker('c', events, { trap: true }), worker('d', events, { trap: true })] }, { id: 'inner' }),
      DynamicSupervisor.childSpec({}, { id: 'dyn' }),
    ],
  });
  const dyn = (await Supervisor.whichChildren(root)).find((c) => c.id === 'dyn')!.ref as never;
  const r = await DynamicSupervisor.startChild(dyn, { start: { behaviour: Worker, arg: { id: 'e', events, trap: true } } });
  t.is(r.status, 'ok');
  await system.shutdown();
  t.is(system.size, 0);
  const loud = (await syncLogs(system, logs)).filter((l) => l.level !== 'debug');
  t.deepEqual(loud.map((l) => `${l.level} ${String(l.report)} ${String(l.childId)}`), []);
  t.deepEqual(
    events.filter((e) => e.startsWith('stop ')),
    ['stop e shutdown', 'stop d shutdown', 'stop c shutdown', 'stop b shutdown'],
    'the tree stopped top down, each supervisor in its own reverse start order',
  );
});
