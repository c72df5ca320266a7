import { connect, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import { InvalidSubjectError } from '../errors/InvalidSubjectError.js';
import { TransportClosedError } from '../errors/TransportClosedError.js';
import { TransportConnectError } from '../errors/TransportConnectError.js';
import type { Transport, TransportStatus, TransportSubscription } from './Transport.js';
import { silentTransportLogger, type TransportLogger } from './TransportLogger.js';

/**
 * Options of {@link NatsTransport.connect}: `servers` and `name` are required; anything else of
 * the client's `ConnectionOptions` passes through (user/pass, token, tls, ...) and overrides the
 * cluster defaults:
 * - `reconnect: true`, `maxReconnectAttempts: -1` (forever), `reconnectTimeWait: 50` ms,
 *   `reconnectJitter: 20` ms: a node whose server dies reconnects to another in 8–46 ms
 *   (shared/reference/cluster.md 2.6), and is never given up on by the client;
 * - `noEcho: false`: a node receives its own publishes when it subscribes to them;
 * - `pingInterval: 5000` ms, `maxPingOut: 2`: the client declares a silent server (frozen, or
 *   behind a dead link that keeps the socket open) stale after about 10–15 s and reconnects,
 *   instead of the client default's 4 minutes. Peer liveness does not rest on this (heartbeats
 *   and $SYS events do);
 * - `waitOnFirstConnect: false`: the first connect fails fast when no server answers.
 */
export type NatsTransportOptions = Omit<ConnectionOptions, 'servers' | 'name' | 'timeout'> & {
  /** One URL or several (`nats://127.0.0.1:4222`). */
  readonly servers: string | readonly string[];
  /** The connection's name: the node's incarnation name (shown by the server, used in $SYS events). */
  readonly name: string;
  /** Max ms for the first connect, after which it rejects with TransportConnectError (default 5000). */
  readonly timeout?: number;
  /** Where throwing subscriber callbacks and client errors are reported (default: silent). */
  readonly logger?: TransportLogger;
};

/**
 * A {@link Transport} over core NATS (`@nats-io/transport-node`).
 *
 * Buffers: the client keeps a reference to a published `Uint8Array` until it writes it to the
 * socket (later, in one batch), so a buffer changed after `publish` is sent changed: publish a
 * fresh buffer each time (msgpackr's `pack()` returns one; reference 2.7). Subscriptions use the
 * client's callback form; a throwing callback is logged and the subscription goes on.
 * Status: the client's 'disconnect' and 'reconnect' become `onStatus` events (once per change);
 * 'closed' comes when the connection ends for good, with the client's error if it had one.
 *
 * @example
 * const t = await NatsTransport.connect({ servers: 'nats://127.0.0.1:4222', name: 'n1-1', user: 'app', pass: 'app' });
 * t.onStatus((s) => console.log(s.type));
 * t.subscribe('arbor.c.n.n1-1', (data) => console.log(data.length));
 * t.publish('arbor.c.n.n1-1', new Uint8Array([1, 2, 3]));
 * await t.flush();
 * await t.close();
 */
export class NatsTransport implements Transport {
  readonly #listeners = new Set<(status: TransportStatus) => void>();
  #connected = true;
  #closedEmitted = false;

  private constructor(
    readonly name: string,
    private readonly nc: NatsConnection,
    private readonly logger: TransportLogger,
  ) {
    void this.#watchStatus();
    void nc.closed().then((err) => this.#emitClosed(err instanceof Error ? err : undefined));
  }

  /** The client connection underneath (the cluster registry opens its JetStream KV bucket on it). */
  get connection(): NatsConnection {
    return this.nc;
  }

  /**
   * Connects to NATS; rejects with {@link TransportConnectError} (code `'transport_connect'`)
   * when no server answers within `timeout` ms.
   *
   * @example
   * const t = await NatsTransport.connect({ servers: [url1, url2], name: 'n1-1', timeout: 2000 });
   */
  static async connect(options: NatsTransportOptions): Promise<NatsTransport> {
    const { servers, name, timeout = 5000, logger = silentTransportLogger, ...rest } = options;
    const list = typeof servers === 'string' ? [servers] : [...servers];
    const connecting = connect({
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 50,
      reconnectJitter: 20,
      noEcho: false,
      pingInterval: 5000,
      maxPingOut: 2,
      waitOnFirstConnect: false,
      ...rest,
      servers: list,
      name,
      timeout,
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeout} ms`)), timeout);
    });
    try {
      const nc = await Promise.race([connecting, timedOut]);
      return new NatsTransport(name, nc, logger);
    } catch (cause) {
      // the client may still connect after our timer fired: close that connection when it does
      connecting.then((nc) => nc.close()).catch(() => {});
      throw new TransportConnectError(list, name, timeout, cause);
    } finally {
      clearTimeout(timer);
    }
  }

  get closed(): boolean {
    return this.nc.isClosed();
  }

  get maxPayload(): number {
    return this.nc.info?.max_payload ?? 1 << 20;
  }

  publish(subject: string, data: Uint8Array): boolean {
    if (this.nc.isClosed()) return false;
    try {
      this.nc.publish(subject, data);
      return true;
    } catch (error) {
      this.logger.error('publish failed: dropped', { connection: this.name, subject, error });
      return false;
    }
  }

  subscribe(subject: string, onMessage: (data: Uint8Array, subject: string) => void): TransportSubscription {
    if (this.nc.isClosed()) throw new TransportClosedError(this.name, `subscribe(${JSON.stringify(subject)})`);
    let sub;
    try {
      sub = this.nc.subscribe(subject, {
        callback: (err, msg) => {
          if (err !== null) {
            this.logger.error('subscription error', { connection: this.name, subject, error: err });
            return;
          }
          try {
            onMessage(msg.data, msg.subject);
          } catch (error) {
            this.logger.error('a subscriber callback threw; the subscription goes on', { connection: this.name, subject: msg.subject, error });
          }
        },
      });
    } catch (error) {
      if (this.nc.isClosed()) throw new TransportClosedError(this.name, `subscribe(${JSON.stringify(subject)})`);
      throw Object.assign(new InvalidSubjectError(subject), { cause: error });
    }
    return {
      unsubscribe: () => {
        try {
          sub.unsubscribe();
        } catch {
          /* closed already */
        }
      },
    };
  }

  onStatus(listener: (status: TransportStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  async flush(): Promise<void> {
    if (this.nc.isClosed()) throw new TransportClosedError(this.name, 'flush()');
    try {
      await this.nc.flush();
    } catch (error) {
      if (this.nc.isClosed()) throw Object.assign(new TransportClosedError(this.name, 'flush()'), { cause: error });
      throw error;
    }
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.close();
    await this.nc.closed();
  }

  async #watchStatus(): Promise<void> {
    try {
      for await (const s of this.nc.status()) {
        if (s.type === 'disconnect' && this.#connected) {
          this.#connected = false;
          this.#emit({ type: 'disconnect' });
        } else if (s.type === 'reconnect' && !this.#connected) {
          this.#connected = true;
          this.#emit({ type: 'reconnect' });
        } else if (s.type === 'error') {
          this.logger.error('NATS server error', { connection: this.name, error: s.error });
        }
      }
    } catch (error) {
      this.logger.error('status iterator failed', { connection: this.name, error });
    }
  }

  #emitClosed(error: Error | undefined): void {
    if (this.#closedEmitted) return;
    this.#closedEmitted = true;
    this.#emit(error === undefined ? { type: 'closed' } : { type: 'closed', error });
    this.#listeners.clear();
  }

  #emit(status: TransportStatus): void {
    for (const l of [...this.#listeners]) {
      try {
        l(status);
      } catch (error) {
        this.logger.error('a transport status listener threw', { connection: this.name, status: status.type, error });
      }
    }
  }
}
