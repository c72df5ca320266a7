import test from 'ava';
import { existsSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { hasNatsServer, isAlive, pollUntil, startNatsCluster, type NatsCluster } from '../src/index.js';

const started: number[] = [];

test.after.always('no nats-server started here is left running', (t) => {
  for (const pid of started) t.false(isAlive(pid), `nats-server ${pid} is gone`);
});

/** A bare NATS protocol client over TCP (this package depends on no NATS client). */
class RawClient {
  #buf = '';
  private constructor(private readonly sock: Socket) {
    sock.on('data', (d) => (this.#buf += d.toString()));
    sock.on('error', () => {});
  }

  static async connect(url: string): Promise<RawClient> {
    const { port } = new URL(url);
    const sock = createConnection({ host: '127.0.0.1', port: Number(port) });
    await new Promise<void>((resolve, reject) => sock.once('connect', resolve).once('error', reject));
    const client = new RawClient(sock);
    sock.write('CONNECT {"verbose":false,"pedantic":false}\r\n');
    await client.ping();
    return client;
  }

  /** Round trip to the server: everything written before is processed. */
  async ping(): Promise<void> {
    const pongs = (this.#buf.match(/PONG\r\n/g) ?? []).length;
    this.sock.write('PING\r\n');
    if (!(await pollUntil(() => (this.#buf.match(/PONG\r\n/g) ?? []).length > pongs, 5000))) throw new Error('no PONG');
  }

  sub(subject: string, sid: number): Promise<void> {
    this.sock.write(`SUB ${subject} ${sid}\r\n`);
    return this.ping();
  }

  pub(subject: string, text: string): Promise<void> {
    this.sock.write(`PUB ${subject} ${Buffer.byteLength(text)}\r\n${text}\r\n`);
    return this.ping();
  }

  received(text: string): boolean {
    return this.#buf.includes(`\r\n${text}\r\n`);
  }

  close(): void {
    this.sock.destroy();
  }
}

/** Publishes on server `from` until a subscriber on server `to` gets it (the interest crosses the route meanwhile). */
async function crosses(nats: NatsCluster, from: number, to: number, subject: string): Promise<boolean> {
  const sub = await RawClient.connect(nats.urls[to]!);
  const pub = await RawClient.connect(nats.urls[from]!);
  try {
    await sub.sub(subject, 1);
    let n = 0;
    return await pollUntil(async () => {
      const text = `m${++n}`;
      await pub.pub(subject, text);
      return sub.received(text) || (await sub.ping(), sub.received(text));
    }, 5000);
  } finally {
    sub.close();
    pub.close();
  }
}

async function stopped(t: import('ava').ExecutionContext, nats: NatsCluster): Promise<void> {
  await nats.stop();
  for (const s of nats.servers) {
    t.false(isAlive(s.pid), `${s.url} is gone`);
    t.false(existsSync(s.dir), 'its temp dir is removed');
  }
  for (const p of nats.proxies) t.is(p.connections, 0);
}

if (!hasNatsServer()) {
  test('nats-server is installed (apt-get install -y nats-server)', (t) => {
    t.fail('nats-server is not on PATH: apt-get install -y nats-server');
  });
} else {
  test.serial('startNatsCluster: 3 servers with JetStream, each routed to the others; a subject crosses the routes', async (t) => {
    const nats = await startNatsCluster({ size: 3 });
    started.push(...nats.servers.map((s) => s.pid));
    try {
      t.is(nats.servers.length, 3);
      t.deepEqual(nats.proxies, []);
      t.is(new Set(nats.urls).size, 3);
      for (const s of nats.servers) {
        t.regex(s.url, /^nats:\/\/127\.0\.0\.1:\d+$/);
        t.regex(s.routeUrl!, /^nats:\/\/127\.0\.0\.1:\d+$/);
        t.regex(s.monitorUrl!, /^http:\/\/127\.0\.0\.1:\d+$/);
      }
      t.deepEqual(await nats.routesOf(0), [1, 2]);
      t.deepEqual(await nats.routesOf(1), [0, 2]);
      t.deepEqual(await nats.routesOf(2), [0, 1]);
      const jsz = (await (await fetch(`${nats.servers[0]!.monitorUrl!}/jsz`, { signal: AbortSignal.timeout(5000) })).json()) as { config?: { store_dir?: string } };
      t.true(jsz.config?.store_dir?.startsWith(nats.servers[0]!.dir) === true, 'JetStream stores in the server\'s temp dir');
      const leaders: string[] = [];
      for (const srv of nats.servers) {
        const z = (await (await fetch(`${srv.monitorUrl!}/jsz`, { signal: AbortSignal.timeout(5000) })).json()) as { meta_cluster?: { leader?: string } };
        leaders.push(z.meta_cluster?.leader ?? '');
      }
      t.true(['s1', 's2', 's3'].includes(leaders[0]!), `started with an agreed JetStream meta leader: ${leaders.join(', ')}`);
      t.deepEqual(leaders, [leaders[0], leaders[0], leaders[0]]);
      t.true(await crosses(nats, 0, 2, 'hello.route'));
      await t.throwsAsync(nats.partition(), { message: /proxiedRoutes/ });
    } finally {
      await stopped(t, nats);
    }
  });

  test.serial('kill -9 of one server: the two others stay routed to each other, and stop() still cleans up', async (t) => {
    const nats = await startNatsCluster({ size: 3, jetstream: false });
    started.push(...nats.servers.map((s) => s.pid));
    try {
      await t.throwsAsync(nats.waitForMetaLeader(), { message: /jetstream: true/ });
      nats.servers[1]!.signal('SIGKILL');
      t.true(await pollUntil(() => !nats.servers[1]!.running, 5000));
      await nats.waitForRoutes();
      t.deepEqual(await nats.routesOf(0), [2]);
      t.deepEqual(await nats.routesOf(2), [0]);
      t.true(await crosses(nats, 2, 0, 'after.kill'));
    } finally {
      await stopped(t, nats);
    }
  });

  test.serial('proxiedRoutes: every route of s1 passes a proxy; partition() splits s1 | s2, s3 and heal() joins them again', async (t) => {
    const nats = await startNatsCluster({ size: 3, jetstream: false, proxiedRoutes: true });
    started.push(...nats.servers.map((s) => s.pid));
    try {
      const throughProxies = async (): Promise<boolean> => {
        // the far end of each route, as s1 sees it: a proxy's port (s1 dialled it) or a proxy's
        // socket to s1 (s1 accepted it); a direct route would show another server's port
        const r = (await (await fetch(`${nats.servers[0]!.monitorUrl!}/routez`, { signal: AbortSignal.timeout(5000) })).json()) as { routes: { port: number }[] };
        const ends = [...nats.proxies.map((p) => p.port), ...nats.proxies.flatMap((p) => p.upstreamPorts())];
        return r.routes.length === 2 && r.routes.every((x) => ends.includes(x.port));
      };
      t.true(await throughProxies(), 's1\'s routes are connections through the proxies');
      t.deepEqual(await nats.routesOf(0), [1, 2]);
      await nats.partition();
      t.true(nats.partitioned);
      t.deepEqual(await nats.routesOf(0), []);
      t.deepEqual(await nats.routesOf(1), [2]);
      t.deepEqual(await nats.routesOf(2), [1]);
      t.true(await crosses(nats, 1, 2, 'majority.side'), 's2 and s3 still talk');
      await nats.heal();
      t.false(nats.partitioned);
      t.deepEqual(await nats.routesOf(0), [1, 2]);
      t.true(await throughProxies(), 'after heal too');
      t.true(await crosses(nats, 0, 2, 'healed'));
    } finally {
      await stopped(t, nats);
    }
  });
}
