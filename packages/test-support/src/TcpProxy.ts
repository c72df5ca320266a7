import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** One connection through a {@link TcpProxy}: the accepted socket and the one to the target. */
interface ProxiedPair {
  readonly client: Socket;
  readonly upstream: Socket;
}

/**
 * A tiny TCP proxy on 127.0.0.1 (node:net) in front of one target port, with a switch to cut
 * the link: `cut()` resets every connection through it and refuses new ones until `heal()`.
 * The NATS cluster helpers put these in front of routes to partition servers on one machine.
 *
 * @example
 * const proxy = await TcpProxy.start(4248);          // listens on proxy.port, forwards to 127.0.0.1:4248
 * proxy.cut();                                       // the servers behind it see the route close
 * proxy.heal();                                      // and may connect again
 * await proxy.close();
 */
export class TcpProxy {
  readonly #server: Server;
  readonly #pairs = new Set<ProxiedPair>();
  #target: number | undefined;
  #cut = false;
  #closed = false;

  private constructor(server: Server, target: number | undefined) {
    this.#server = server;
    this.#target = target;
    server.on('connection', (client) => this.#accept(client));
  }

  /**
   * Listens on a random 127.0.0.1 port (picked by the OS, so no port is guessed) and forwards
   * to `127.0.0.1:targetPort`. Without a target (set it later with `setTarget`), connections
   * are refused: the proxy's port can then be written into the config of the server it fronts.
   *
   * @example
   * const proxy = await TcpProxy.start();
   * const server = await startNatsServer({ cluster: { name: 'c', advertise: `127.0.0.1:${proxy.port}` } });
   * proxy.setTarget(Number(new URL(server.routeUrl!).port));
   */
  static async start(targetPort?: number): Promise<TcpProxy> {
    const server = createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new TcpProxy(server, targetPort);
  }

  /** The port it listens on (127.0.0.1). */
  get port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  /** The port it forwards to, if set. */
  get target(): number | undefined {
    return this.#target;
  }

  /** True between `cut()` and `heal()`. */
  get isCut(): boolean {
    return this.#cut;
  }

  /** How many connections pass through it now. */
  get connections(): number {
    return this.#pairs.size;
  }

  /**
   * The local ports of its sockets to the target: what the target sees as the remote port of
   * each connection through the proxy (tells a route through it from a direct one).
   *
   * @example
   * proxy.upstreamPorts(); // [41234]
   */
  upstreamPorts(): number[] {
    const ports: number[] = [];
    for (const { upstream } of this.#pairs) if (upstream.localPort !== undefined) ports.push(upstream.localPort);
    return ports;
  }

  /**
   * Sets the port it forwards new connections to.
   *
   * @example
   * proxy.setTarget(4248);
   */
  setTarget(port: number): void {
    this.#target = port;
  }

  /**
   * Resets every connection through it (both ends see the socket close) and refuses new ones
   * until `heal()`.
   *
   * @example
   * proxy.cut();
   */
  cut(): void {
    this.#cut = true;
    for (const pair of [...this.#pairs]) this.#drop(pair);
  }

  /**
   * Lets connections through again (the ones cut stay closed: the peers reconnect).
   *
   * @example
   * proxy.heal();
   */
  heal(): void {
    this.#cut = false;
  }

  /**
   * Stops listening and resets every connection; resolves when the listener is closed.
   *
   * @example
   * await proxy.close();
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#cut = true;
    for (const pair of [...this.#pairs]) this.#drop(pair);
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    client.on('error', () => {});
    if (this.#cut || this.#target === undefined) {
      client.resetAndDestroy();
      return;
    }
    client.setNoDelay(true);
    const upstream = createConnection({ host: '127.0.0.1', port: this.#target, noDelay: true });
    const pair: ProxiedPair = { client, upstream };
    this.#pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = (): void => this.#drop(pair);
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  }

  #drop(pair: ProxiedPair): void {
    if (!this.#pairs.delete(pair)) return;
    // RST both ways (a socket still connecting is reset once connected)
    for (const socket of [pair.client, pair.upstream]) if (!socket.destroyed) socket.resetAndDestroy();
  }
}
