/**
 * A property of traces over random workloads: for any sequence of casts, calls (answered
 * at once or deferred), system requests and stops, the tracer sees events in seq order
 * 1, 2, 3, ...; every `received` call is followed by its `handled` before the next
 * message (unless the trace ended right there); and it never sees more than `max`.
 */
import test from 'ava';
import fc from 'fast-check';
import { createLogger, createSystem, type TraceEvent } from '../../src/index.js';
import { recording, Tracee } from '../support/traceActors.js';

type Op = 'inc' | 'get' | 'later' | 'release' | 'getState' | 'stop';

const opArb = fc.constantFrom<Op>('inc', 'get', 'later', 'release', 'getState', 'stop');

test('events are seq-ordered, each received call is handled, and count <= max', async (t) => {
  const details = await fc.check(
    fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), fc.integer({ min: 1, max: 60 }), async (ops, max) => {
      const system = createSystem({ logger: createLogger('silent') });
      try {
        const ref = await system.spawn(Tracee, 0);
        const { events, trace } = recording(system, ref, { max });
        const pending: Promise<unknown>[] = [];
        for (const op of ops) {
          if (op === 'stop') {
            pending.push(system.stop(ref).catch(() => {}));
            break;
          }
          if (op === 'inc' || op === 'release') system.cast(ref, { type: op });
          else if (op === 'getState') pending.push(system.getState(ref).catch(() => {}));
          else pending.push(system.call(ref, { type: op }, { timeout: Infinity }).catch(() => {}));
        }
        // A last call, in mailbox order after every op: once answered, all ops were handled.
        // (Unanswered deferred calls fail at shutdown, which also ends the trace: exited.)
        if (!ops.includes('stop')) await system.call(ref, { type: 'get' });
        else await Promise.all(pending);
        await system.shutdown();
        const end = await trace.ended;
        return check(events, max, end.events);
      } finally {
        await system.shutdown();
      }
    }),
    { numRuns: 60 },
  );
  t.is(details.failed, false, fc.defaultReportMessage(details) ?? '');
  t.true(details.numRuns > 0);
});

function check(events: readonly TraceEvent[], max: number, delivered: number): boolean {
  if (events.length > max || events.length !== delivered) return false;
  if (!events.every((e, i) => e.seq === i + 1)) return false;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.kind !== 'received' || e.via !== 'call') continue;
    // The next message event (received or handled) must be this call's handled.
    const next = events.slice(i + 1).find((x) => x.kind === 'received' || x.kind === 'handled' || x.kind === 'exited');
    if (next === undefined) continue; // the trace ended right after it
    if (next.kind !== 'handled' || next.via !== 'call') return false;
  }
  return true;
}
