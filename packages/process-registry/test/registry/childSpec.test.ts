/**
 * `ProcessRegistry.childSpec`: the registry under a real supervisor, reached by name with
 * `ProcessRegistry.of`; the worker it spawned is gone after the orderly stop.
 */
import test from 'ava';
import { childSpec, createLogger, createSystem, InvalidOptionError, Supervisor, type ChildSpec } from '@arbor/core';
import { ProcessRegistry, spawnWorker, type ProcessRegistryProtocol } from '../../src/index.js';
import { cleanUpFile, isRunning, tempStorePath, track } from '../support/helpers.js';

test.after.always(cleanUpFile);

test('ProcessRegistry.childSpec is what childSpec(ProcessRegistry, options) gives, overrides included', (t) => {
  const options = { path: tempStorePath() };
  t.deepEqual(ProcessRegistry.childSpec(options), { id: 'ProcessRegistry', start: { behaviour: ProcessRegistry, arg: options } });
  t.deepEqual(childSpec(ProcessRegistry, options), ProcessRegistry.childSpec(options));
  const named = ProcessRegistry.childSpec(options, { id: 'workers', options: { name: 'process-registry' } });
  t.deepEqual(named, { id: 'workers', start: { behaviour: ProcessRegistry, arg: options, options: { name: 'process-registry' } } });
  t.deepEqual(childSpec(ProcessRegistry, options, { id: 'workers', options: { name: 'process-registry' } }), named);
  t.deepEqual(ProcessRegistry.childSpec(), { id: 'ProcessRegistry', start: { behaviour: ProcessRegistry, arg: undefined } });
  t.throws(() => ProcessRegistry.childSpec(options, 5 as never), { instanceOf: InvalidOptionError });
});

test('a registry started from ProcessRegistry.childSpec records workers; ProcessRegistry.of reaches it by name; the orderly stop stops them', async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  const path = tempStorePath();
  await Supervisor.start(system, {
    strategy: 'one_for_one',
    children: [ProcessRegistry.childSpec({ path, shutdownGraceMs: 300 }, { options: { name: 'process-registry' } })],
  });
  const registry = ProcessRegistry.of(system.whereis<ProcessRegistryProtocol>('process-registry')!);
  const w = await spawnWorker(registry, { workerId: 'w1', command: 'sleep', args: ['60'] });
  track(w.pid);
  t.like(await registry.getWorkerInfo('w1'), { status: 'active', osPid: w.pid });
  t.is((await registry.reserveWorker('w1')).status, 'worker_id_taken');
  await system.shutdown();
  t.false(isRunning(w.pid), 'the orderly stop stopped the worker');
});

// Type tests: the options and the overrides are checked.
function compileOnly(): ChildSpec<ProcessRegistry>[] {
  return [
    // @ts-expect-error path is a string
    ProcessRegistry.childSpec({ path: 5 }),
    // @ts-expect-error restart is a RestartType
    ProcessRegistry.childSpec({}, { restart: 'sometimes' }),
  ];
}
void compileOnly;
