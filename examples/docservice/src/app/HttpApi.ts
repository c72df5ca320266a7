/**
 * The HTTP server as a supervised actor: its `init` starts the service's job pools in the
 * pools tree (`already_started` after a restart) and listens on 127.0.0.1; its
 * `terminate` closes the server and every connection (and a monitor on itself does the
 * same when it is killed, so a restart binds the same port). Requests are served by
 * `handleRequest` (and `handleFault` with `--faults`), outside the actor's mailbox: a
 * request never waits behind another.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GenServer, type Call } from '@arbor/core';
import { Pools } from '@arbor/pool';
import { handleFault } from './faults.js';
import { statsPoolOptions, summaryPoolOptions } from './jobPools.js';
import { handleRequest, type ApiReply, type RouteOptions } from './routes.js';

/** The largest request body accepted (a document), in bytes. */
export const MAX_BODY_BYTES = 8 * 2 ** 20;

/** The start argument: where to listen, and the routes' options. */
export interface HttpApiOptions {
  /** Port on 127.0.0.1; 0 picks a free one. After the first start it holds the port in use, so a restart binds the same. */
  port: number;
  readonly routes: RouteOptions;
  /** Spawn the Python workers under `setpriv --pdeathsig KILL` (default true). */
  readonly pdeathsig?: boolean;
}

/**
 * The protocol: `address` answers where the server listens.
 *
 * @example
 * const { port } = await call(system.whereis<HttpApiProtocol>('docservice.http')!, { type: 'address' });
 */
export interface HttpApiProtocol {
  call: Call<'address', { host: string; port: number }>;
}

function readBody(req: IncomingMessage): Promise<string | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? 'too_large' : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Listens on 127.0.0.1; a fixed port still held by the previous server (a restart after a kill) is retried for up to a second. */
async function listen(server: Server, port: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0 || attempt >= 50) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

function send(res: ServerResponse, reply: ApiReply): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * The HTTP API actor (registered as `docservice.http` in the tree).
 *
 * @example
 * childSpec(HttpApi, { port: 0, routes: { python: true } }, { id: 'http', options: { name: 'docservice.http' } })
 */
export class HttpApi extends GenServer<HttpApiProtocol, Server, HttpApiOptions> {
  override async init(options: HttpApiOptions): Promise<void> {
    this.trapExit(true); // so terminate (closing the server) runs on a supervisor's shutdown
    const pools = Pools.of(this.system);
    for (const o of [statsPoolOptions(), ...(options.routes.python ? [summaryPoolOptions({ pdeathsig: options.pdeathsig ?? true })] : [])]) {
      const r = await pools.startJobPool(o);
      if (r.status === 'error') throw r.reason;
    }
    const system = this.system;
    const server = createServer((req, res) => {
      void (async () => {
        const body = await readBody(req).catch(() => '');
        if (body === 'too_large') return send(res, { status: 413, body: { error: 'too_large', message: `a document may have at most ${MAX_BODY_BYTES} bytes` } });
        const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
        const reply = options.routes.faults !== undefined && request.url.startsWith('/faults/') ? await handleFault(system, request) : await handleRequest(system, request, options.routes);
        send(res, reply);
      })().catch(() => {
        if (!res.headersSent) send(res, { status: 500, body: { error: 'internal', message: 'the reply could not be sent' } });
      });
    });
    await listen(server, options.port);
    options.port = (server.address() as AddressInfo).port;
    this.state = server;
    // terminate does not run when the actor is killed; a monitor on itself fires on every exit.
    system.monitor(this.self, () => {
      server.closeAllConnections();
      server.close();
    });
  }

  override handleCall(): { host: string; port: number } {
    return { host: '127.0.0.1', port: (this.state.address() as AddressInfo).port };
  }

  override async terminate(): Promise<void> {
    const server = this.state;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
