/**
 * The registry on a 3-server NATS cluster with an R3 JetStream KV bucket, when the server
 * leading the bucket's stream is killed: every register answers within its timeout (`ok` or
 * `unavailable`, never a hang) while the stream elects a new leader, registers succeed again
 * afterwards, names registered before are still there, and no node is fenced (the lease
 * timeout is above the KV failover, as docs/cluster.md says it must be). Servers are gone at
 * the end.
 */
import test from 'ava';
import { connect } from '@nats-io/transport-node';
import { createLogger, createSystem, type ActorSystem } from '@arbor/core';
import { eventually, hasNatsServer, isAlive, pollUntil, startNatsCluster, type NatsCluster } from '@arbor/test-support';
import { joinCluster, type Cluster } from '../../src/index.js';
import { NodeProbe } from '../support/actors.js';

const nats = hasNatsServer() ? test.serial : test.skip;
const REGISTER_TIMEOUT_MS = 1000;
let servers: NatsCluster | undefined;

test.after.always('the nats-servers started here are gone', async (t) => {
  if (servers === undefined) return;
  await servers.stop();
  for (const s of servers.servers) t.false(isAlive(s.pid), `nats-server ${s.pid} is gone`);
});

/** The server name leading the bucket's stream, from the JetStream API. */
async function streamLeader(urls: readonly string[], stream: string): Promise<string | undefined> {
  const nc = await connect({ servers: [...urls], timeout: 2000 });
  try {
    const reply = await nc.request(`$JS.API.STREAM.INFO.${stream}`, undefined, { timeout: 2000 });
    return (reply.json() as { cluster?: { leader?: string } }).cluster?.leader;
  } catch {
    return undefined;
  } finally {
    await nc.close();
  }
}

nats('the KV stream leader killed: registers answer within their timeout, then succeed again; names kept, nobody fenced', async (t) => {
  servers = await startNatsCluster({ size: 3, jetstream: true });
  const urls = servers.urls;
  const nodes: { system: ActorSystem; cluster: Cluster }[] = [];
  try {
    for (const [i, name] of ['a', 'b'].entries()) {
      const system = createSystem({ name, logger: createLogger('silent') });
      const own = [urls[i]!, ...urls.filter((_, j) => j !== i)];
      const cluster = await joinCluster(system, {
        cluster: 't', node: name, nats: { servers: own, noRandomize: true, reconnectTimeWait: 100 }, behaviours: { NodeProbe },
        heartbeatMs: 100, downAfterMs: 10_000,
        registry: { replicas: 3, timeoutMs: REGISTER_TIMEOUT_MS }, leaseMs: 500, leaseTimeoutMs: 15_000,
      });
      nodes.push({ system, cluster });
    }
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    t.true(await eventually(() => a.cluster.nodes().length === 1 && b.cluster.nodes().length === 1, 10_000));
    const before = await a.system.spawn(NodeProbe, undefined);
    t.deepEqual(await a.cluster.registry.register('before', before), { status: 'ok' });
    t.true(await eventually(() => b.cluster.registry.whereis('before')?.id === before.id, 5000));

    let leader: string | undefined;
    t.true(await pollUntil(async () => (leader = await streamLeader(urls, 'KV_arbor_t')) !== undefined, 10_000), 'the stream has a leader');
    const victim = servers.servers.findIndex((_, i) => `s${i + 1}` === leader);
    t.true(victim >= 0, `the leader ${String(leader)} is one of ours`);
    servers.servers[victim]!.signal('SIGKILL');

    // Registers during the election: each settles within its timeout with ok or unavailable.
    const outcomes: string[] = [];
    let ok = false;
    for (let i = 0; i < 200 && !ok; i++) {
      const ref = await b.system.spawn(NodeProbe, undefined);
      const t0 = performance.now();
      const r = await b.cluster.registry.register(`during-${i}`, ref);
      const ms = performance.now() - t0;
      outcomes.push(r.status);
      t.true(r.status === 'ok' || r.status === 'unavailable', `register answered ${r.status}`);
      if (ms > 3 * REGISTER_TIMEOUT_MS) t.fail(`a register took ${Math.round(ms)} ms, well past its ${REGISTER_TIMEOUT_MS} ms timeout`);
      ok = r.status === 'ok' && i > 0;
      if (!ok) await new Promise((r2) => setTimeout(r2, 100));
    }
    t.true(ok, `a register succeeded again after the election: ${outcomes.join(',')}`);
    t.log(`registers while the leader ${String(leader)} was gone: ${outcomes.length} (${outcomes.filter((o) => o === 'unavailable').length} unavailable)`);
    t.is(b.cluster.registry.whereis('before')?.id, before.id, 'a name from before is still there');
    t.is(a.cluster.registry.leases.fenced, null, 'a is not fenced');
    t.is(b.cluster.registry.leases.fenced, null, 'b is not fenced');
  } finally {
    for (const n of nodes) {
      await n.cluster.leave();
      await n.system.shutdown();
    }
  }
});
