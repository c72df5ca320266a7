/**
 * The references of the cluster workloads, from the bench process: the raw TCP limit
 * (a loopback socket to the `tcpEcho` child, 4-byte length framing) and the bare NATS
 * request/reply (the official client, ONE reply subject for this process, a correlation id
 * in the first 4 bytes of each request; not `nc.request`, which arms a timer and an inbox
 * per call), and bare NATS one-way messages (one publish per message). All carry 64-byte
 * payloads, as shared/bench/cluster's tcp.mjs and nats_call.mjs.
 */
import net from 'node:net';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/** Payload bytes of every raw round trip and one-way message. */
export const RAW_PAYLOAD_BYTES = 64;

/** The subject the `natsEcho` child answers on. */
export const NATS_ECHO_SUBJECT = 'bench.rr';

/** The subject the `natsEcho` child counts one-way messages on. */
export const NATS_ONE_WAY_SUBJECT = 'bench.oneway';

/**
 * A TCP client of the `tcpEcho` child.
 *
 * @example
 * const tcp = await TcpLimit.connect(port);
 * await tcp.roundTrip();
 * tcp.close();
 */
export class TcpLimit {
  readonly #sock: net.Socket;
  #waiter: (() => void) | null = null;
  readonly #frame: Buffer;

  private constructor(sock: net.Socket) {
    this.#sock = sock;
    this.#frame = Buffer.alloc(4 + RAW_PAYLOAD_BYTES);
    this.#frame.writeUInt32BE(RAW_PAYLOAD_BYTES, 0);
    this.#frame[4] = 1;
    let buf: Buffer = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      buf = buf.length > 0 ? Buffer.concat([buf, chunk]) : chunk;
      let off = 0;
      while (buf.length - off >= 4) {
        const len = buf.readUInt32BE(off);
        if (buf.length - off - 4 < len) break;
        off += 4 + len;
        const w = this.#waiter;
        this.#waiter = null;
        w?.();
      }
      buf = off === buf.length ? Buffer.alloc(0) : buf.subarray(off);
    });
  }

  /** Connects to the echo on 127.0.0.1:`port`. */
  static async connect(port: number): Promise<TcpLimit> {
    const sock = net.connect(port, '127.0.0.1');
    sock.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', () => resolve());
      sock.once('error', reject);
    });
    return new TcpLimit(sock);
  }

  #next(): Promise<void> {
    return new Promise((resolve) => (this.#waiter = resolve));
  }

  /** One 64-byte frame there and back. */
  async roundTrip(): Promise<void> {
    const p = this.#next();
    this.#sock.write(this.#frame);
    await p;
  }

  /**
   * `n` one-way 64-byte messages, frames packed into 64 KiB writes (what a client's write
   * buffer does), until the echo acknowledges the last; resolves with messages/s.
   */
  async oneWay(n: number): Promise<number> {
    const start = Buffer.alloc(9);
    start.writeUInt32BE(5, 0);
    start[4] = 2;
    start.writeUInt32BE(n, 5);
    this.#sock.write(start);
    const one = Buffer.alloc(4 + RAW_PAYLOAD_BYTES);
    one.writeUInt32BE(RAW_PAYLOAD_BYTES, 0);
    one[4] = 3;
    const perChunk = Math.floor(65536 / one.length);
    const full = Buffer.allocUnsafe(perChunk * one.length);
    for (let i = 0; i < perChunk; i++) one.copy(full, i * one.length);
    const done = this.#next();
    const t0 = performance.now();
    let sent = 0;
    while (sent < n) {
      const k = Math.min(perChunk, n - sent);
      sent += k;
      if (!this.#sock.write(k === perChunk ? full : full.subarray(0, k * one.length))) {
        await new Promise((r) => this.#sock.once('drain', r));
      }
    }
    await done;
    return n / ((performance.now() - t0) / 1000);
  }

  close(): void {
    this.#sock.destroy();
  }
}

/**
 * Bare NATS request/reply the Arbor way: one reply subject per process, correlation ids.
 *
 * @example
 * const nats = await BareNatsCaller.connect(server.url);
 * await nats.call();
 * await nats.close();
 */
export class BareNatsCaller {
  readonly #nc: NatsConnection;
  readonly #reply: string;
  readonly #pending = new Map<number, () => void>();
  #nextId = 1;

  private constructor(nc: NatsConnection) {
    this.#nc = nc;
    this.#reply = `bench.reply.${process.pid}`;
    nc.subscribe(this.#reply, {
      callback: (err, m) => {
        if (err !== null) return;
        const id = new DataView(m.data.buffer, m.data.byteOffset, 4).getUint32(0);
        const resolve = this.#pending.get(id);
        this.#pending.delete(id);
        resolve?.();
      },
    });
  }

  /** Connects to `servers` and subscribes this process's reply subject. */
  static async connect(servers: string): Promise<BareNatsCaller> {
    const nc = await connect({ servers, name: `bench-nats-caller-${process.pid}` });
    const caller = new BareNatsCaller(nc);
    await nc.flush();
    return caller;
  }

  /** One 64-byte request to the echo subject; resolves on its reply. */
  call(): Promise<void> {
    const id = this.#nextId++;
    const payload = new Uint8Array(RAW_PAYLOAD_BYTES);
    new DataView(payload.buffer).setUint32(0, id);
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#nc.publish(NATS_ECHO_SUBJECT, payload, { reply: this.#reply });
    });
  }

  async close(): Promise<void> {
    await this.#nc.close();
  }
}

/**
 * Bare NATS one-way messages with the official client: one `publish` of a 64-byte payload per
 * message to the `natsEcho` child's one-way subject (the client packs them into its write
 * buffer), yielding every `yieldEvery` as `remote_cast`'s sender does; the last carries a reply
 * subject, and its answer (the count and bytes the child got) ends the run.
 *
 * @example
 * const nats = await BareNatsCaster.connect(server.url);
 * const perSecond = await nats.oneWay(500_000, 4096);
 * await nats.close();
 */
export class BareNatsCaster {
  readonly #nc: NatsConnection;
  readonly #reply: string;
  #waiter: ((data: Uint8Array) => void) | null = null;

  private constructor(nc: NatsConnection) {
    this.#nc = nc;
    this.#reply = `bench.oneway.reply.${process.pid}`;
    nc.subscribe(this.#reply, {
      callback: (err, m) => {
        if (err !== null) return;
        const w = this.#waiter;
        this.#waiter = null;
        w?.(m.data);
      },
    });
  }

  /** Connects to `servers` and subscribes this process's reply subject. */
  static async connect(servers: string): Promise<BareNatsCaster> {
    const nc = await connect({ servers, name: `bench-nats-caster-${process.pid}` });
    const caster = new BareNatsCaster(nc);
    await nc.flush();
    return caster;
  }

  /** `n` one-way 64-byte messages (see the class comment); resolves with messages/s, rejects when the child did not get them all. */
  async oneWay(n: number, yieldEvery: number): Promise<number> {
    const payload = new Uint8Array(RAW_PAYLOAD_BYTES).fill(0x78);
    const answered = new Promise<Uint8Array>((resolve) => (this.#waiter = resolve));
    const t0 = performance.now();
    for (let i = 0; i < n - 1; i++) {
      this.#nc.publish(NATS_ONE_WAY_SUBJECT, payload);
      if ((i + 1) % yieldEvery === 0) await new Promise((r) => setImmediate(r));
    }
    this.#nc.publish(NATS_ONE_WAY_SUBJECT, payload, { reply: this.#reply });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`bare NATS one-way: no answer to the last of ${n} messages within 120 s (a slow consumer drops messages)`)), 120_000);
    });
    const answer = await Promise.race([answered, timedOut]).finally(() => clearTimeout(timer));
    const ms = performance.now() - t0;
    const view = new DataView(answer.buffer, answer.byteOffset, answer.byteLength);
    const [count, bytes] = [view.getUint32(0), view.getUint32(4)];
    if (count !== n || bytes !== n * RAW_PAYLOAD_BYTES) throw new Error(`bare NATS one-way: the child got ${count} messages (${bytes} bytes), expected ${n} (${n * RAW_PAYLOAD_BYTES})`);
    return n / (ms / 1000);
  }

  async close(): Promise<void> {
    await this.#nc.close();
  }
}
