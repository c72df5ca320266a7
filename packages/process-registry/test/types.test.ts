/**
 * Type tests: each `@ts-expect-error` line must fail to compile. The runtime part checks
 * that the outcomes narrow as typed.
 */
import test from 'ava';
import { call, createLogger, createSystem, type ActorRef } from '@arbor/core';
import { ProcessRegistry, type ActivateResult, type ProcessRegistryHandle, type ProcessRegistryProtocol, type WorkerInfo } from '../src/index.js';
import { removeTempDirs, tempStorePath } from './support/helpers.js';

test.after.always(() => removeTempDirs());

function compileOnly(registry: ProcessRegistryHandle, ref: ActorRef<ProcessRegistryProtocol>, r: ActivateResult): void {
  // @ts-expect-error a worker id is a string
  void registry.reserveWorker(1);
  // @ts-expect-error activateWorker needs the OS pid
  void registry.activateWorker('w', undefined);
  // @ts-expect-error 'reserve' is not a request the registry accepts
  void call(ref, { type: 'reserve', workerId: 'w' });
  // @ts-expect-error reserve_worker needs a workerId
  void call(ref, { type: 'reserve_worker' });
  // @ts-expect-error only the 'active' and 'not_reserved' outcomes carry a worker
  void r.worker;
  if (r.status === 'active') {
    const w: WorkerInfo = r.worker;
    // @ts-expect-error status is a closed union
    const s: 'gone' = w.status;
    void s;
  }
}
void compileOnly;

test('outcomes narrow on status; raw calls infer their replies', async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  const registry = await ProcessRegistry.start(system, { path: tempStorePath(), cleanupOnStart: false });
  const r = await registry.reserveWorker('w');
  if (r.status !== 'reserved') return t.fail('expected a reservation');
  t.is(r.worker.workerId, 'w');
  const runId: string = await call(registry.ref, { type: 'get_run_id' });
  t.is(runId, r.worker.runId);
  t.is(await registry.startupCleanup(), undefined);
  await system.shutdown();
});
