import test from 'ava';
import { createServer, type Server } from 'node:net';
import { eventually, hasNatsServer, isAlive, sleep, startNatsServer, type NatsServer } from '@arbor/test-support';
import { NatsTransport, TransportClosedError, TransportConnectError, type TransportStatus } from '../../src/index.js';

// Every test here runs against a real nats-server on a random 127.0.0.1 port.
const nats = hasNatsServer() ? test : test.skip;
const pids: number[] = [];
const servers: NatsServer[] = [];
const transports: NatsTransport[] = [];

async function server(extraConfig?: string): Promise<NatsServer> {
  const s = await startNatsServer({ jetstream: false, ...(extraConfig === undefined ? {} : { extraConfig }) });
  pids.push(s.pid);
  servers.push(s);
  return s;
}
async function transport(url: string, name: string): Promise<NatsTransport> {
  const t = await NatsTransport.connect({ servers: url, name, timeout: 5000 });
  transports.push(t);
  return t;
}
const enc = (n: number): Uint8Array => new Uint8Array(new Uint32Array([n]).buffer);
const dec = (d: Uint8Array): number => new DataView(d.buffer, d.byteOffset, 4).getUint32(0, true);

test.after.always('every server started here is gone', async (t) => {
  await Promise.all(transports.map((x) => x.close().catch(() => {})));
  await Promise.all(servers.map((s) => s.stop()));
  for (const pid of pids) t.false(isAlive(pid), `nats-server pid ${pid} is gone`);
});

nats('publish/subscribe with * and > wildcards, and own publishes are received', async (t) => {
  const s = await server();
  const a = await transport(s.url, 'a');
  const b = await transport(s.url, 'b');
  const star: string[] = [];
  const rest: string[] = [];
  const own: string[] = [];
  b.subscribe('arbor.c.n.*', (_d, subj) => star.push(subj));
  b.subscribe('arbor.c.>', (_d, subj) => rest.push(subj));
  a.subscribe('arbor.c.hb.*', (_d, subj) => own.push(subj));
  await b.flush();
  await a.flush();
  for (const subj of ['arbor.c.n.b', 'arbor.c.hb.a', 'arbor.c.n.b.x', 'other']) t.true(a.publish(subj, enc(1)));
  a.publish('arbor.c.end', enc(0));
  await a.flush();
  t.true(await eventually(() => rest.includes('arbor.c.end') && own.length === 1));
  t.deepEqual(star, ['arbor.c.n.b']);
  t.deepEqual(rest, ['arbor.c.n.b', 'arbor.c.hb.a', 'arbor.c.n.b.x', 'arbor.c.end']);
  t.deepEqual(own, ['arbor.c.hb.a']);
});

nats('10,000 messages arrive in publish order', async (t) => {
  const s = await server();
  const a = await transport(s.url, 'a');
  const b = await transport(s.url, 'b');
  const got: number[] = [];
  b.subscribe('seq', (d) => got.push(dec(d)));
  await b.flush();
  for (let i = 0; i < 10_000; i++) a.publish('seq', enc(i)); // a fresh buffer per publish
  await a.flush();
  t.true(await eventually(() => got.length === 10_000, 10_000), `got ${got.length}`);
  t.deepEqual(got, Array.from({ length: 10_000 }, (_, i) => i));
});

nats('the fresh-buffer rule: a buffer changed after publish is sent changed (the client writes later), fresh buffers are not', async (t) => {
  const s = await server();
  const a = await transport(s.url, 'a');
  const b = await transport(s.url, 'b');
  const got: number[] = [];
  b.subscribe('buf', (d) => got.push(d[0]!));
  await b.flush();
  const reused = new Uint8Array(4);
  for (let i = 0; i < 5; i++) {
    reused[0] = i;
    a.publish('buf', reused);
  }
  await a.flush();
  t.true(await eventually(() => got.length === 5));
  t.deepEqual(got, [4, 4, 4, 4, 4], 'why Transport.publish says: never reuse the buffer');
  got.length = 0;
  for (let i = 0; i < 5; i++) a.publish('buf', Uint8Array.of(i, 0, 0, 0));
  await a.flush();
  t.true(await eventually(() => got.length === 5));
  t.deepEqual(got, [0, 1, 2, 3, 4]);
});

nats('a throwing callback is logged and the subscription keeps receiving', async (t) => {
  const s = await server();
  const errors: string[] = [];
  const a = await NatsTransport.connect({ servers: s.url, name: 'a', logger: { error: (msg) => errors.push(msg) } });
  transports.push(a);
  const got: number[] = [];
  a.subscribe('boom', (d) => {
    got.push(dec(d));
    if (dec(d) === 0) throw new Error('boom');
  });
  await a.flush();
  a.publish('boom', enc(0));
  a.publish('boom', enc(1));
  await a.flush();
  t.true(await eventually(() => got.length === 2));
  t.deepEqual(got, [0, 1]);
  t.true(errors.some((m) => /callback threw/.test(m)));
});

nats("status: 'disconnect' when the server is SIGKILLed, 'reconnect' when a new one listens on its port, traffic flows again", async (t) => {
  const s = await server();
  const a = await transport(s.url, 'a');
  const seen: string[] = [];
  a.onStatus((st) => seen.push(st.type));
  const got: number[] = [];
  a.subscribe('after', (d) => got.push(dec(d)));
  await a.flush();
  s.signal('SIGKILL');
  t.true(await eventually(() => seen.includes('disconnect'), 10_000), `statuses: ${seen.join(',')}`);
  t.false(a.closed, 'the client keeps trying (maxReconnectAttempts -1)');
  const s2 = await server(`listen: 127.0.0.1:${s.port}`);
  t.is(s2.port, s.port);
  t.true(await eventually(() => seen.includes('reconnect'), 15_000), `statuses: ${seen.join(',')}`);
  t.deepEqual(seen, ['disconnect', 'reconnect']);
  a.publish('after', enc(7)); // the subscription was resent on reconnect
  await a.flush();
  t.true(await eventually(() => got.length === 1));
  t.deepEqual(got, [7]);
});

nats("status: 'closed' after close(), which is idempotent; then publish is false, flush and subscribe reject", async (t) => {
  const s = await server();
  const a = await NatsTransport.connect({ servers: s.url, name: 'a' });
  const seen: TransportStatus[] = [];
  a.onStatus((st) => seen.push(st));
  await a.close();
  await a.close();
  t.true(a.closed);
  t.true(await eventually(() => seen.length === 1));
  await sleep(10);
  t.deepEqual(seen, [{ type: 'closed' }]);
  t.false(a.publish('x', enc(1)));
  await t.throwsAsync(a.flush(), { instanceOf: TransportClosedError });
  t.throws(() => a.subscribe('x', () => {}), { instanceOf: TransportClosedError });
});

nats('connect with no server listening rejects with a TransportConnectError naming the server and the fix', async (t) => {
  const s = await server();
  const url = s.url;
  await s.stop(); // its port is free now
  const started = Date.now();
  const error = await t.throwsAsync(NatsTransport.connect({ servers: url, name: 'lonely', timeout: 2000 }), { instanceOf: TransportConnectError });
  t.log(`rejected after ${Date.now() - started} ms`);
  t.is(error?.code, 'transport_connect');
  t.deepEqual(error?.servers, [url]);
  t.true(error!.message.includes(url));
  t.regex(error!.message, /is nats-server running/);
});

test('connect to a socket that never answers rejects with a TransportConnectError after the timeout', async (t) => {
  const sockets: import('node:net').Socket[] = [];
  const silent: Server = createServer((sock) => void sockets.push(sock)); // accepts, never sends INFO
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as { port: number }).port;
  try {
    const error = await t.throwsAsync(NatsTransport.connect({ servers: `nats://127.0.0.1:${port}`, name: 'waiting', timeout: 300 }), {
      instanceOf: TransportConnectError,
    });
    t.is(error?.timeoutMs, 300);
    t.regex(error!.message, /within 300 ms/);
  } finally {
    sockets.forEach((s) => s.destroy());
    await new Promise<void>((r) => silent.close(() => r()));
  }
});
