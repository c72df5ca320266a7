/**
 * Fencing over a real nats-server with JetStream: a node process holding a cluster name is
 * frozen (SIGSTOP) past its lease timeout. The node in this process sweeps its lease and
 * names, sees it down (reason `lease`, before the heartbeats would judge it) and takes the
 * name. After SIGCONT the frozen node finds itself fenced: its holder exits with
 * `{ shutdown: 'fenced' }`, it rejoins as a new incarnation and takes its lease again. At no
 * moment outside the lease margin do two live holders of the name exist. Every process and
 * the server are gone at the end.
 */
import test from 'ava';
import { createLogger, createSystem } from '@arbor/core';
import { eventually, hasNatsServer, isAlive, pollUntil, sleep, startNatsServer, type NatsServer } from '@arbor/test-support';
import { ClusterRef, joinCluster, type NodeEvent } from '../../src/index.js';
import { NodeProbe } from '../support/actors.js';
import { NodeProcess, startedPids } from '../support/nodeProcess.js';

const nats = hasNatsServer() ? test.serial : test.skip;
const TIMING = { heartbeatMs: 100, downAfterMs: 3000 }; // the heartbeats stay slower than the lease here
const LEASE_MS = 100;
const LEASE_TIMEOUT_MS = 800;
let server: NatsServer | undefined;

test.after.always('no nats-server or node process started here is left running', async (t) => {
  if (server !== undefined) {
    await server.stop();
    t.false(isAlive(server.pid), `nats-server ${server.pid} is gone`);
  }
  for (const pid of startedPids) t.false(isAlive(pid), `node process ${pid} is gone`);
});

interface WhoAmI {
  readonly incarnation: string;
  readonly fenced: string | null;
  readonly holderExits: unknown[];
  readonly holderNode: string | null;
}

nats('SIGSTOP past the lease timeout: the others sweep and take the name; after SIGCONT the node is fenced and rejoins', async (t) => {
  server = await startNatsServer({ jetstream: true });
  const system = createSystem({ name: 'main', logger: createLogger('silent') });
  const main = await joinCluster(system, {
    cluster: 't', node: 'main', nats: { servers: server.url }, behaviours: { NodeProbe }, ...TIMING,
    registry: { timeoutMs: 1000 }, leaseMs: LEASE_MS, leaseTimeoutMs: LEASE_TIMEOUT_MS,
  });
  const child = await NodeProcess.start('frozen', [server.url], TIMING, { ARBOR_TEST_LEASES: `${LEASE_MS},${LEASE_TIMEOUT_MS}` });
  try {
    t.true(await eventually(() => main.nodes().some((n) => n.name === 'frozen'), 5000));
    t.is(await child.ask<string>('register', { name: 'leader' }), 'ok');
    t.true(await eventually(() => main.registry.whereis('leader') instanceof ClusterRef, 3000), 'main sees the holder on the child');
    const events: NodeEvent[] = [];
    main.onNode((e) => events.push(e));

    child.proc.kill('SIGSTOP');
    t.true(await eventually(() => main.registry.whereis('leader') === undefined, 5000), "the frozen node's name is gone for main");
    t.true(await eventually(() => events.some((e) => e.type === 'nodedown' && e.node.name === 'frozen'), 3000));
    const down = events.find((e): e is Extract<NodeEvent, { type: 'nodedown' }> => e.type === 'nodedown');
    t.is(down?.reason, 'lease', 'down by its lease, before downAfterMs');
    const mine = await system.spawn(NodeProbe, undefined);
    t.true(await pollUntil(async () => (await main.registry.register('leader', mine)).status === 'ok', 5000), 'main takes the name');
    await sleep(200);

    child.proc.kill('SIGCONT');
    let who: WhoAmI | undefined;
    t.true(
      await pollUntil(async () => {
        who = await child.ask<WhoAmI>('whoami', { name: 'leader' });
        return who.holderExits.length === 1 && who.incarnation !== child.incarnation && who.fenced === null;
      }, 10_000),
      `fenced and rejoined: ${JSON.stringify(who)}`,
    );
    t.deepEqual(who!.holderExits, [{ shutdown: 'fenced' }], 'its holder exited fenced');
    t.true(await pollUntil(async () => (await child.ask<WhoAmI>('whoami', { name: 'leader' })).holderNode === 'main', 5000), "the rejoined node sees main's holder");
    t.true(await eventually(() => main.nodes().some((n) => n.incarnation === who!.incarnation), 5000), 'main sees the new incarnation up');
    t.is(main.registry.whereis('leader'), mine, 'main still holds the name');
  } finally {
    await child.kill();
    await main.leave();
    await system.shutdown();
  }
});
