/** Type tests for tracing: each `@ts-expect-error` line must fail to compile. */
import test from 'ava';
import { createLogger, createSystem, trace, type ActorRef, type Trace, type TraceEvent, type TraceEventKind } from '../../src/index.js';
import { Quiet } from '../support/traceActors.js';

function compileOnly(ref: ActorRef): void {
  const t: Trace = trace(ref, { tracer: () => {} });
  const stopped: boolean = trace(ref, false);
  // @ts-expect-error trace(ref, options) returns a Trace, not a boolean
  const _wrong: boolean = trace(ref, { tracer: () => {} });
  // @ts-expect-error a tracer is required
  trace(ref, {});
  // @ts-expect-error kinds are event kinds
  trace(ref, { tracer: () => {}, kinds: ['recieved'] });
  // @ts-expect-error true is not a way to stop a trace
  trace(ref, true);
  const kinds: TraceEventKind[] = ['received', 'exited'];
  void [t, stopped, kinds];
}

function narrows(e: TraceEvent): number | string {
  if (e.kind === 'handled') return e.durationUs + (e.outcome === 'crash' ? 1 : 0);
  if (e.kind === 'sent') return e.to;
  // @ts-expect-error only handled events have a duration
  return e.durationUs;
}

test('the typed trace API behaves as typed', async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  const ref = await system.spawn(Quiet, undefined);
  void compileOnly;
  void narrows;
  const tr = system.trace(ref, { tracer: () => {} });
  t.true(tr instanceof Object && tr.active);
  t.is(system.trace(ref, false), true);
  await system.shutdown();
});
