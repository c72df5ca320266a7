import test from 'ava';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { isAlive, startNatsServer, type NatsServer } from '@arbor/test-support';
import { KvUnavailableError, NatsKvStore } from '../../src/index.js';
import { kvContract } from './kvContract.js';

const servers: NatsServer[] = [];
const connections: NatsConnection[] = [];
let shared: NatsServer | undefined;

async function server(): Promise<NatsServer> {
  const s = await startNatsServer();
  servers.push(s);
  return s;
}

async function client(url: string): Promise<NatsConnection> {
  const nc = await connect({ servers: url, reconnectTimeWait: 50, maxReconnectAttempts: -1 });
  connections.push(nc);
  return nc;
}

test.after.always(async (t) => {
  for (const nc of connections) await nc.close().catch(() => {});
  for (const s of servers) await s.stop();
  for (const s of servers) t.false(isAlive(s.pid), `nats-server ${s.pid} is gone`);
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
