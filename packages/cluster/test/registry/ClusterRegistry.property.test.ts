/**
 * The registry's promise under random sequences of registers, unregisters, holder kills and
 * bucket cuts on three nodes: once things settle, no two mirrors name different holders for
 * one name, the nodes that are not fenced agree, every holder they name is alive, and every
 * name a node believes its actor holds is the one they name.
 */
import test from 'ava';
import fc from 'fast-check';
import { exit } from '@arbor/core';
import { eventually, sleep } from '@arbor/test-support';
import { NodeProbe } from '../support/actors.js';
import { registryCluster, type RegistryNode } from '../support/registryCluster.js';

type Op =
  | { readonly kind: 'register' | 'unregister' | 'kill'; readonly node: number; readonly key: number }
  | { readonly kind: 'cut' | 'heal'; readonly node: number }
  | { readonly kind: 'wait'; readonly ms: number };

const node = fc.integer({ min: 0, max: 2 });
const key = fc.integer({ min: 0, max: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('register' as const), node, key }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unregister' as const), node, key }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('kill' as const), node, key }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), node }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('heal' as const), node }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 400 }) }) },
);

const KEYS = ['k0', 'k1', 'k2'];

/** Each node's answer for `name`: the holder's id, or undefined. */
function answers(nodes: readonly RegistryNode[], name: string): (string | undefined)[] {
  return nodes.map((n) => n.registry.whereis(name)?.id);
}

/** Every name a node believes one of its actors holds is the one every node that is not fenced names. */
function beliefsHold(nodes: readonly RegistryNode[], live: readonly RegistryNode[]): boolean {
  for (const n of nodes) {
    for (const ref of n.system.actors()) {
      for (const k of n.registry.keysOf(ref)) if (!live.every((m) => m.registry.whereis(k as string)?.id === ref.id)) return false;
    }
  }
  return true;
}

function holderAlive(nodes: readonly RegistryNode[], id: string): boolean {
  return nodes.some((n) => n.system.lookup(id) !== undefined);
}

test('random registers, unregisters, kills and cuts: after settling, at most one holder per name in any mirror', async (t) => {
  t.timeout(180_000);
  await t.notThrowsAsync(
    fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 20 }), async (ops) => {
        const c = await registryCluster(['a', 'b', 'c']);
        const nodes = c.nodes;
        try {
          const pending: Promise<unknown>[] = [];
          for (const o of ops) {
            switch (o.kind) {
              case 'register': {
                const n = nodes[o.node]!;
                const ref = await n.system.spawn(NodeProbe, undefined);
                pending.push(n.registry.register(KEYS[o.key]!, ref));
                break;
              }
              case 'unregister':
                pending.push(nodes[o.node]!.registry.unregister(KEYS[o.key]!));
                break;
              case 'kill': {
                const n = nodes[o.node]!;
                const holder = n.registry.whereis(KEYS[o.key]!);
                if (holder !== undefined && n.system.lookup(holder.id) === holder) exit(holder, 'kill');
                break;
              }
              case 'cut':
                c.bucket.cutClient(nodes[o.node]!.kv.clientName);
                break;
              case 'heal':
                c.bucket.healClient(nodes[o.node]!.kv.clientName);
                break;
              case 'wait':
                await sleep(o.ms);
                break;
            }
          }
          const results = await Promise.all(pending);
          if (results.some((r) => typeof r !== 'object' || r === null || !['ok', 'taken', 'unavailable'].includes((r as { status: string }).status))) return false;
          for (const n of nodes) c.bucket.healClient(n.kv.clientName);
          const live = (): RegistryNode[] => nodes.filter((n) => n.registry.leases.fenced === null);
          // Settled: the nodes that are not fenced agree, every node (a fenced one's mirror
          // catches up too) names at most one holder, alive, and the beliefs hold.
          const settled = (): boolean =>
            KEYS.every((k) => {
              const seen = answers(live(), k);
              const distinct = new Set(answers(nodes, k).filter((id) => id !== undefined));
              return seen.every((id) => id === seen[0]) && distinct.size <= 1 && [...distinct].every((id) => holderAlive(nodes, id!));
            }) && beliefsHold(nodes, live());
          return await eventually(settled, 10_000);
        } finally {
          await c.stop();
        }
      }),
      { numRuns: 40 },
    ),
  );
});
