/**
 * A bounded chaos property on the memory network: random spawns, links, calls and casts
 * mixed with cuts, heals and node kills across three nodes. Invariants: every call settles;
 * a link fires at most once; every link to an actor of a killed node fires exactly once;
 * casts that arrive arrive in order.
 */
import test from 'ava';
import fc from 'fast-check';
import { call, cast, type ActorRef } from '@arbor/core';
import { pollUntil } from '@arbor/test-support';
import { NodeProbe, type NodeProbeProtocol } from '../support/actors.js';
import { memoryCluster, type TestNode } from '../support/memoryCluster.js';

type Op =
  | { readonly kind: 'spawn'; readonly on: 1 | 2 }
  | { readonly kind: 'call'; readonly target: number; readonly slowMs: number }
  | { readonly kind: 'cast'; readonly target: number }
  | { readonly kind: 'cut'; readonly peer: 1 | 2 }
  | { readonly kind: 'heal'; readonly peer: 1 | 2 }
  | { readonly kind: 'kill'; readonly peer: 1 | 2 }
  | { readonly kind: 'pause'; readonly ms: number };

const peer = fc.constantFrom(1 as const, 2 as const);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('spawn' as const), on: peer }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('call' as const), target: fc.nat(20), slowMs: fc.constantFrom(0, 0, 30, 300) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('cast' as const), target: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), peer }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('heal' as const), peer }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('kill' as const), peer }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 1, max: 60 }) }) },
);

test('chaos: calls settle, links fire at most once, links to killed nodes fire exactly once, casts stay in order', async (t) => {
  t.timeout(120_000);
  await t.notThrowsAsync(
    fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), async (ops) => {
        const c = await memoryCluster(['a', 'b', 'c'], { heartbeatMs: 20, downAfterMs: 100 });
        const [a, ...others] = c.nodes as [TestNode, TestNode, TestNode];
        const names = ['a', others[0]!.name, others[1]!.name];
        try {
          const watcher = await a.system.spawn(NodeProbe, { trap: true });
          const refs: { ref: ActorRef<NodeProbeProtocol>; on: 1 | 2; casts: number }[] = [];
          const calls: Promise<unknown>[] = [];
          const killed = new Set<number>();
          let settled = 0;
          for (const o of ops) {
            switch (o.kind) {
              case 'spawn': {
                if (killed.has(o.on)) break;
                try {
                  const ref = await a.cluster.spawn<NodeProbeProtocol>(names[o.on]!, 'NodeProbe', undefined, { timeout: 1000 });
                  refs.push({ ref, on: o.on, casts: 0 });
                  await call(watcher, { type: 'link', ref });
                } catch {
                  /* the node is cut or down: a typed rejection, fine */
                }
                break;
              }
              case 'call': {
                const r = refs[o.target % Math.max(1, refs.length)];
                if (r === undefined) break;
                const p = o.slowMs === 0 ? call(r.ref, { type: 'echo', value: 1 }, { timeout: 2000 }) : call(r.ref, { type: 'slow', ms: o.slowMs }, { timeout: 2000 });
                calls.push(p.then(() => settled++, () => settled++));
                break;
              }
              case 'cast': {
                const r = refs[o.target % Math.max(1, refs.length)];
                if (r !== undefined) cast(r.ref, { type: 'push', value: r.casts++ });
                break;
              }
              case 'cut':
                if (!killed.has(o.peer)) c.net.cut('a', names[o.peer]!);
                break;
              case 'heal':
                if (!killed.has(o.peer)) c.net.heal('a', names[o.peer]!);
                break;
              case 'kill':
                if (!killed.has(o.peer)) {
                  killed.add(o.peer);
                  c.net.kill(names[o.peer]!);
                }
                break;
              case 'pause':
                await new Promise((r) => setTimeout(r, o.ms));
                break;
            }
          }
          // Every call settles (bounded wait: the detector's 100 ms, the calls' 2 s timeout).
          if (!(await pollUntil(() => settled === calls.length, 5000))) return false;
          const linkedToKilled = refs.filter((r) => killed.has(r.on));
          const exits = async (): Promise<Map<unknown, number>> => {
            const counts = new Map<unknown, number>();
            for (const m of (await call(watcher, { type: 'got' })) as { type: string; from?: unknown }[]) {
              if (m.type === 'EXIT') counts.set(m.from, (counts.get(m.from) ?? 0) + 1);
            }
            return counts;
          };
          if (!(await pollUntil(async () => {
            const counts = await exits();
            return linkedToKilled.every((r) => counts.get(r.ref) === 1);
          }, 5000))) return false;
          const counts = await exits();
          if ([...counts.values()].some((n) => n > 1)) return false;
          // Casts that arrived arrived in order (a gap may drop some, never reorder them).
          for (const r of refs) {
            if (killed.has(r.on)) continue;
            const got = (await call(r.ref, { type: 'got' }, { timeout: 2000 }).catch(() => null)) as number[] | null;
            if (got === null) continue;
            for (let i = 1; i < got.length; i++) if (got[i]! <= got[i - 1]!) return false;
          }
          return true;
        } finally {
          await c.stop();
        }
      }),
      { numRuns: 12 },
    ),
  );
});
