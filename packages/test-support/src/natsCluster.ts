import { get } from 'node:http';
import { createServer } from 'node:net';
import { startNatsServer, type NatsServer } from './natsServer.js';
import { pollUntil } from './pollUntil.js';
import { TcpProxy } from './TcpProxy.js';

/** Options of {@link startNatsCluster}. */
export interface NatsClusterOptions {
  /** How many servers (default 3, at least 2). */
  readonly size?: number;
  /** JetStream on every server, each with its store in its own temp dir (default true). */
  readonly jetstream?: boolean;
  /**
   * With JetStream, whether the start also waits for the servers to agree on a JetStream meta
   * leader (default true). `false` returns as soon as the routes are up, as an application
   * booting with its cluster sees it (JetStream API calls may then time out or answer 503).
   */
  readonly waitForMetaLeader?: boolean;
  /**
   * Every route of `servers[0]` goes through a {@link TcpProxy} (`proxies`): `partition()`
   * then splits `{servers[0]} | {the others}` and `heal()` joins them again (default false).
   */
  readonly proxiedRoutes?: boolean;
  /** Bound for starting each server and for every wait on routes (default 15 s). */
  readonly timeoutMs?: number;
}

/** Routes of one server, from its `/routez`. */
interface Routez {
  readonly server_id: string;
  readonly routes: readonly { readonly remote_id: string; readonly did_solicit: boolean; readonly port: number }[];
}

/** A NATS cluster on 127.0.0.1 started by a test (see {@link startNatsCluster}). */
export interface NatsCluster {
  /** The servers, named `s1`, `s2`, ... (`server_name`). */
  readonly servers: readonly NatsServer[];
  /** Every server's client URL, in order: give them all to a client so that it can fail over. */
  readonly urls: readonly string[];
  /**
   * The proxies `servers[0]`'s routes pass through, and the one every server advertises as its
   * route URL, which refuses all (empty without `proxiedRoutes`).
   */
  readonly proxies: readonly TcpProxy[];
  /** Whether `partition()` is in force. */
  readonly partitioned: boolean;
  /** Indexes of the servers that server `index` has a route to now (from its `/routez`). */
  routesOf(index: number): Promise<number[]>;
  /**
   * Waits until every running server has a route to every running server on its side (all of
   * them, or both sides of a partition on their own); rejects after `timeoutMs`.
   */
  waitForRoutes(): Promise<void>;
  /**
   * With JetStream: waits until every running server names the same JetStream meta leader
   * (from its `/jsz`), so that streams and KV buckets can be created; rejects after `timeoutMs`.
   */
  waitForMetaLeader(): Promise<void>;
  /** Cuts the proxies (`proxiedRoutes` only) and waits until the servers see the routes gone. */
  partition(): Promise<void>;
  /** Heals the proxies and waits until the routes are back. */
  heal(): Promise<void>;
  /** Stops every server by pid and closes the proxies. */
  stop(): Promise<void>;
}

/** `count` distinct free 127.0.0.1 ports, each held by a listener until `release()`. */
async function holdPorts(count: number): Promise<{ readonly port: number; release(): Promise<void> }[]> {
  const held: { readonly port: number; release(): Promise<void> }[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      const address = server.address();
      held.push({ port: typeof address === 'object' && address !== null ? address.port : 0, release: () => new Promise((r) => server.close(() => r())) });
    }
    return held;
  } catch (e) {
    await Promise.all(held.map((h) => h.release()));
    throw e;
  }
}

/** How long one request to a server's monitoring port may take (a busy server may stall it). */
const MONITOR_REQUEST_MS = 2000;

/**
 * GETs `path` from a server's monitoring port as JSON, on a connection of its own that closes
 * after the answer (no pooled socket outlives the call), rejecting after `MONITOR_REQUEST_MS`.
 */
function monitor<T>(server: NatsServer, path: string): Promise<T> {
  const url = `${server.monitorUrl!}${path}`;
  return new Promise<T>((resolve, reject) => {
    const fail = (e: Error): void => {
      clearTimeout(timer);
      request.destroy();
      reject(e);
    };
    const request = get(url, { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('error', fail);
      response.on('end', () => {
        clearTimeout(timer);
        if (response.statusCode !== 200) return reject(new Error(`${url} answered ${String(response.statusCode)}`));
        try {
          resolve(JSON.parse(body) as T);
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    });
    // The whole request, not only idle time (a server trickling bytes would reset an idle timeout).
    const timer = setTimeout(() => fail(new Error(`${url} did not answer within ${MONITOR_REQUEST_MS} ms`)), MONITOR_REQUEST_MS);
    request.on('error', fail);
  });
}

function routez(server: NatsServer): Promise<Routez> {
  return monitor<Routez>(server, '/routez');
}

/**
 * Starts a cluster of `nats-server`s on 127.0.0.1 with routes between them and waits until
 * every route is up (from each server's `/routez`) and, with JetStream, until the servers agree on a
 * JetStream meta leader (`/jsz`). Client and monitoring ports are picked by
 * the servers (`-1`) and read from their ports files, proxies listen on port 0.
 * Route ports are picked first (a listener on port 0 each, closed just before the servers
 * start); when one is taken meanwhile the server fails with EADDRINUSE and the whole start is
 * tried again with new ports (at most 5 times). With `proxiedRoutes`, every route between
 * `servers[0]` and another server passes a proxy of its own (one per direction).
 *
 * @example
 * const nats = await startNatsCluster({ size: 3, jetstream: false, proxiedRoutes: true });
 * try {
 *   await nats.partition(); // s1 | s2, s3
 *   await nats.heal();
 *   nats.servers[1]!.signal('SIGKILL');
 * } finally {
 *   await nats.stop();
 * }
 */
export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<NatsCluster> {
  const size = options.size ?? 3;
  if (!Number.isInteger(size) || size < 2 || size > 9) throw new RangeError(`startNatsCluster: size must be a whole number from 2 to 9, got ${String(size)}`);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const jetstream = options.jetstream !== false;
  const proxied = options.proxiedRoutes === true;
  const servers: (NatsServer | undefined)[] = new Array(size).fill(undefined);
  const proxies: TcpProxy[] = [];
  const ids: string[] = [];
  let partitioned = false;

  const stop = async (): Promise<void> => {
    await Promise.all(proxies.map((p) => p.close()));
    await Promise.all(servers.map((s) => s?.stop()));
  };

  const start = (index: number, port: number, routes: string[], advertise?: string): Promise<NatsServer> =>
    startNatsServer({
      jetstream,
      monitoring: true,
      serverName: `s${index + 1}`,
      cluster: { name: 'arbor', port, routes, ...(advertise === undefined ? {} : { advertise }) },
      startTimeoutMs: timeoutMs,
    });
  const route = (port: number): string => `nats-route://127.0.0.1:${port}`;

  /**
   * Picks the route ports (held open together, so they differ, until the proxies have their
   * own ports), then starts every server at once with explicit routes to all the others: a
   * server with JetStream in a cluster needs configured routes. With `proxiedRoutes`, the
   * routes from and to `servers[0]` are proxies, and every server advertises a proxy that
   * refuses all connections: the implicit routes the servers gossip about could otherwise
   * join `servers[0]` to another server directly, around the proxies.
   */
  const startAll = async (): Promise<void> => {
    const held = await holdPorts(size);
    const ports = held.map((h) => h.port);
    let advertise: string | undefined;
    const routes: number[][] = ports.map((_, i) => ports.filter((__, j) => j !== i));
    try {
      if (proxied) {
        const refuser = await TcpProxy.start();
        proxies.push(refuser);
        advertise = `127.0.0.1:${refuser.port}`;
        for (let j = 1; j < size; j++) {
          const toJ = await TcpProxy.start(ports[j]);
          const toZero = await TcpProxy.start(ports[0]);
          proxies.push(toJ, toZero);
          routes[0]![j - 1] = toJ.port;
          routes[j]![0] = toZero.port;
        }
      }
    } finally {
      await Promise.all(held.map((h) => h.release()));
    }
    const started = await Promise.allSettled(ports.map((port, i) => start(i, port, routes[i]!.map(route), advertise)));
    started.forEach((r, i) => {
      if (r.status === 'fulfilled') servers[i] = r.value;
    });
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  };

  const routesOf = async (index: number): Promise<number[]> => {
    const r = await routez(servers[index]!);
    const found = new Set<number>();
    for (const x of r.routes) {
      const at = ids.indexOf(x.remote_id);
      if (at >= 0) found.add(at);
    }
    return [...found].sort((a, b) => a - b);
  };

  /** The indexes server `index` should be routed to now. */
  const expected = (index: number): number[] => {
    const out: number[] = [];
    for (let j = 0; j < size; j++) {
      if (j === index || !servers[j]!.running) continue;
      if (partitioned && (index === 0 || j === 0)) continue;
      out.push(j);
    }
    return out;
  };

  const waitForRoutes = async (): Promise<void> => {
    let last = '';
    const asExpected = await pollUntil(async () => {
      let ok = true;
      const seen: string[] = [];
      for (let i = 0; i < size; i++) {
        if (!servers[i]!.running) continue;
        let got: number[];
        try {
          got = await routesOf(i);
        } catch (e) {
          got = [];
          seen.push(`s${i + 1}: ${String(e)}`);
        }
        const want = expected(i);
        seen.push(`s${i + 1} -> [${got.map((j) => `s${j + 1}`).join(',')}] want [${want.map((j) => `s${j + 1}`).join(',')}]`);
        if (got.join() !== want.join()) ok = false;
      }
      last = seen.join('; ');
      return ok;
    }, timeoutMs);
    if (!asExpected) throw new Error(`NATS routes not as expected within ${timeoutMs} ms: ${last}`);
  };

  const waitForMetaLeader = async (): Promise<void> => {
    if (!jetstream) throw new Error('startNatsCluster: waitForMetaLeader() needs { jetstream: true }');
    let last = '';
    const agreed = await pollUntil(async () => {
      const leaders: string[] = [];
      const seen: string[] = [];
      for (const s of servers) {
        if (!s!.running) continue;
        try {
          const jsz = await monitor<{ meta_cluster?: { leader?: string } }>(s!, '/jsz');
          leaders.push(jsz.meta_cluster?.leader ?? '');
          seen.push(`${s!.url}: ${jsz.meta_cluster?.leader ?? '(none)'}`);
        } catch (e) {
          leaders.push(''); // no answer is no agreement
          seen.push(`${s!.url}: ${String(e)}`);
        }
      }
      last = seen.join(', ');
      return leaders.length > 0 && leaders[0] !== '' && leaders.every((l) => l === leaders[0]);
    }, timeoutMs);
    if (!agreed) throw new Error(`no JetStream meta leader agreed within ${timeoutMs} ms: ${last}`);
  };

  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await startAll();
        break;
      } catch (e) {
        await stop();
        proxies.length = 0;
        servers.fill(undefined);
        // a port picked for routes was taken before its server bound it: pick again (bounded)
        if (!(e instanceof Error && /address already in use/i.test(e.message)) || attempt >= 5) throw e;
      }
    }
    for (const s of servers) ids.push((await routez(s!)).server_id);
    await waitForRoutes();
    if (jetstream && options.waitForMetaLeader !== false) await waitForMetaLeader();
  } catch (e) {
    await stop();
    throw e;
  }

  const live = servers as NatsServer[];
  return {
    servers: live,
    urls: live.map((s) => s.url),
    proxies,
    get partitioned() {
      return partitioned;
    },
    routesOf,
    waitForRoutes,
    waitForMetaLeader,
    async partition() {
      if (!proxied) throw new Error('startNatsCluster: partition() needs { proxiedRoutes: true }');
      partitioned = true;
      for (const p of proxies) p.cut();
      await waitForRoutes();
    },
    async heal() {
      if (!proxied) throw new Error('startNatsCluster: heal() needs { proxiedRoutes: true }');
      partitioned = false;
      for (const p of proxies) p.heal();
      await waitForRoutes();
    },
    stop,
  };
}
