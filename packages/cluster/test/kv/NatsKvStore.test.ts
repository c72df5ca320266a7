import test from 'ava';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { isAlive, isStopped, pollUntil, startNatsCluster, startNatsServer, type NatsCluster, type NatsServer } from '@arbor/test-support';
import { KvUnavailableError, NatsKvStore } from '../../src/index.js';
import { kvContract } from './kvContract.js';

const servers: NatsServer[] = [];
const connections: NatsConnection[] = [];
const clusters: NatsCluster[] = [];
let shared: NatsServer | undefined;

async function server(): Promise<NatsServer> {
  const s = await startNatsServer();
  servers.push(s);
  return s;
}

async function client(url: string | readonly string[]): Promise<NatsConnection> {
  const nc = await connect({ servers: typeof url === 'string' ? url : [...url], reconnectTimeWait: 50, maxReconnectAttempts: -1 });
  connections.push(nc);
  return nc;
}

test.after.always(async (t) => {
  for (const nc of connections) await nc.close().catch(() => {});
  for (const s of servers) await s.stop();
  for (const c of clusters) await c.stop();
  for (const s of [...servers, ...clusters.flatMap((c) => c.servers)]) t.false(isAlive(s.pid), `nats-server ${s.pid} is gone`);
});

let n = 0;
kvContract(test, 'nats', async () => {
  shared ??= await server();
  const bucket = `c${n++}`;
  const a = await NatsKvStore.open(await client(shared.url), bucket, { storage: 'memory' });
  const b = await NatsKvStore.open(await client(shared.url), bucket);
  return { a, b, done: async () => { await a.close(); await b.close(); } };
});

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test.serial('nats: a SIGSTOPped server makes calls unavailable within the timeout; SIGCONT brings them back', async (t) => {
  const s = await server();
  const kv = await NatsKvStore.open(await client(s.url), 'frozen', { timeoutMs: 300 });
  await kv.put('k', enc('1'));
  s.signal('SIGSTOP');
  try {
    // kill() returns before the server has stopped: a put sent meanwhile may still be answered
    t.true(await pollUntil(() => isStopped(s.pid), 5000), 'the server is frozen');
    const e = await t.throwsAsync(kv.put('k', enc('2')), { instanceOf: KvUnavailableError });
    t.is(e?.operation, 'put');
    await t.throwsAsync(kv.get('k'), { instanceOf: KvUnavailableError });
  } finally {
    s.signal('SIGCONT');
  }
  let back = false;
  for (let i = 0; i < 50 && !back; i++) back = await kv.get('k').then(() => true, () => false);
  t.true(back, 'calls succeed again after SIGCONT');
  await kv.close();
});

test.serial('nats: a killed server makes calls unavailable within the timeout', async (t) => {
  const s = await server();
  const kv = await NatsKvStore.open(await client(s.url), 'killed', { timeoutMs: 300 });
  await kv.put('k', enc('1'));
  s.signal('SIGKILL');
  const e = await t.throwsAsync(kv.create('other', enc('2')), { instanceOf: KvUnavailableError });
  t.is(e?.bucket, 'killed');
  await kv.close();
});

test.serial('nats: latency of create, update, get (median µs over 200 ops; reported, not asserted)', async (t) => {
  shared ??= await server();
  const kv = await NatsKvStore.open(await client(shared.url), 'latency');
  const median = async (fn: (i: number) => Promise<unknown>): Promise<number> => {
    const us: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = process.hrtime.bigint();
      await fn(i);
      us.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    return us.sort((x, y) => x - y)[100]!;
  };
  const v = enc('{"node":"n1"}');
  const create = await median((i) => kv.create(`name.${i}`, v));
  let rev = await kv.create('lease', v);
  const update = await median(async () => (rev = await kv.update('lease', v, rev)));
  const get = await median((i) => kv.get(`name.${i}`));
  t.log(`median µs: create ${create.toFixed(0)}, update ${update.toFixed(0)}, get ${get.toFixed(0)}`);
  t.true((await kv.get('lease'))!.revision === rev);
  await kv.close();
});

test.serial('nats: open on a cluster that has just started (no JetStream meta leader awaited) is retried until it succeeds, R3', async (t) => {
  const c = await startNatsCluster({ size: 3, waitForMetaLeader: false });
  clusters.push(c);
  const kv = await NatsKvStore.open(await client(c.urls), 'fresh', { replicas: 3, openTimeoutMs: 30_000 });
  t.is(await kv.create('k', enc('1')), 1);
  t.is(new TextDecoder().decode((await kv.get('k'))?.value), '1');
  await kv.close();
});

test.serial('nats: without a JetStream quorum open rejects with KvUnavailableError once openTimeoutMs has passed; a bad name rejects at once', async (t) => {
  const c = await startNatsCluster({ size: 3 });
  clusters.push(c);
  c.servers[1]!.signal('SIGKILL');
  c.servers[2]!.signal('SIGKILL');
  const nc = await client(c.urls[0]!);
  const t0 = performance.now();
  const e = await t.throwsAsync(NatsKvStore.open(nc, 'noquorum', { timeoutMs: 300, openTimeoutMs: 1500 }), { instanceOf: KvUnavailableError });
  t.is(e?.operation, 'open');
  t.is(e?.bucket, 'noquorum');
  // A lower bound, not a speed threshold: each try is cut at 300 ms, and the open gives up only
  // when less than the 250 ms pause is left before its 1500 ms deadline, so one try alone would end early.
  t.true(performance.now() - t0 >= 1200, 'tried again until its deadline');
  // not retried: with a 120 s deadline a retry would outlast the test's 60 s timeout
  await t.throwsAsync(NatsKvStore.open(nc, 'bad.name', { openTimeoutMs: 120_000 }), { instanceOf: KvUnavailableError, message: /invalid bucket name/ });
});
