import { checkKnownKeys, InvalidOptionError, type AnyBehaviour, type BehaviourClass } from '@arbor/core';
import type { KvStore } from '../kv/KvStore.js';
import type { Transport } from '../transport/Transport.js';

/**
 * How a node joins a cluster.
 *
 * @example
 * const options: ClusterOptions = { cluster: 'shop', node: 'api-1', nats: { servers: 'nats://127.0.0.1:4222' }, behaviours: { Worker } };
 */
export interface ClusterOptions {
  /** The cluster's name: subjects are `arbor.<cluster>.*` (letters, digits, `_` and `-`). */
  readonly cluster: string;
  /** This node's name, unique among live nodes (letters, digits, `_` and `-`); each start adds a fresh incarnation. */
  readonly node: string;
  /** Connect to NATS with these options (`servers` and any `@nats-io/transport-node` connection option). */
  readonly nats?: { readonly servers: string | readonly string[]; readonly [option: string]: unknown };
  /** Or use this transport (an in-memory one in tests); the node does not close it on leave. */
  readonly transport?: Transport;
  /** What other nodes may spawn here, by name (code is never shipped between nodes). */
  readonly behaviours?: Readonly<Record<string, BehaviourClass<AnyBehaviour>>>;
  /**
   * System-account credentials of the NATS servers: the node then hears the server's
   * `$SYS` DISCONNECT events and takes a peer whose connection closed (a crash) as down at
   * once (a few ms) instead of after `downAfterMs`. Heartbeats still find frozen nodes.
   */
  readonly sys?: { readonly user: string; readonly pass: string };
  /**
   * Or any source of "this connection closed" events (called with the connection's name:
   * a node's incarnation or, on a `MemoryNetwork`, the name it connected with), e.g.
   * `(cb) => net.onDisconnect(cb)`. Returns a function that stops it.
   */
  readonly disconnects?: (onClosed: (connectionName: string) => void) => () => void;
  /** Heartbeat period (default 1000 ms). */
  readonly heartbeatMs?: number;
  /** A node not heard from for this long is down (default 5000 ms; at least 2 heartbeats). */
  readonly downAfterMs?: number;
  /**
   * The cluster registry and node leases (`cluster.registry`): `true` opens the JetStream KV
   * bucket `arbor_<cluster>` on the NATS connection (the servers need JetStream); or
   * `{ kv }` for any `KvStore` (a `MemoryKvStore` with a memory transport), `bucket`,
   * `replicas` (default 1) and `timeoutMs` (each store call and register, default 2000).
   * A node that cannot renew its lease is fenced: its name holders exit with
   * `{ shutdown: 'fenced' }` and it rejoins as a new incarnation (`cluster.rejoin()`).
   */
  readonly registry?: boolean | { readonly kv?: KvStore; readonly bucket?: string; readonly replicas?: number; readonly timeoutMs?: number };
  /** How often the node renews its lease (default 2000 ms; with `registry`). */
  readonly leaseMs?: number;
  /** A lease not renewed for this long is swept by the others with its names (default 6000 ms; with `registry`). */
  readonly leaseTimeoutMs?: number;
}

/** The checked options with defaults. @internal */
export interface ResolvedClusterOptions {
  readonly cluster: string;
  readonly node: string;
  readonly behaviours: Readonly<Record<string, BehaviourClass<AnyBehaviour>>>;
  readonly heartbeatMs: number;
  readonly downAfterMs: number;
}

const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
const KEYS = ['cluster', 'node', 'nats', 'transport', 'behaviours', 'heartbeatMs', 'downAfterMs', 'sys', 'disconnects', 'registry', 'leaseMs', 'leaseTimeoutMs'] as const;

function positiveMs(path: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 2 ** 31 - 1) {
    throw new InvalidOptionError(path, 'a whole number of milliseconds from 1 to 2^31-1', value);
  }
  return value;
}

/** Checks `joinCluster`'s options; misuse throws `InvalidOptionError` naming the option. @internal */
export function resolveClusterOptions(options: unknown): ResolvedClusterOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError('joinCluster: options', "an object { cluster, node, nats | transport, behaviours?, heartbeatMs?, downAfterMs? }", options);
  }
  checkKnownKeys('joinCluster', options, KEYS);
  const o = options as ClusterOptions;
  for (const key of ['cluster', 'node'] as const) {
    if (typeof o[key] !== 'string' || !TOKEN.test(o[key])) throw new InvalidOptionError(`joinCluster: options.${key}`, 'a name of 1 to 64 letters, digits, _ or -', o[key]);
  }
  if ((o.nats === undefined) === (o.transport === undefined)) {
    throw new InvalidOptionError('joinCluster: options.nats', 'NATS connection options { servers } (or a transport instead, not both)', o.nats);
  }
  if (o.nats !== undefined && (typeof o.nats !== 'object' || o.nats === null || o.nats.servers === undefined)) {
    throw new InvalidOptionError('joinCluster: options.nats', "an object { servers: 'nats://127.0.0.1:4222', ... }", o.nats);
  }
  const behaviours = o.behaviours ?? {};
  if (typeof behaviours !== 'object' || behaviours === null) throw new InvalidOptionError('joinCluster: options.behaviours', 'an object { Name: BehaviourClass }', behaviours);
  for (const [name, b] of Object.entries(behaviours)) {
    if (typeof b !== 'function') throw new InvalidOptionError(`joinCluster: options.behaviours.${name}`, 'a class that extends GenServer (or another behaviour)', b);
  }
  if (o.sys !== undefined) {
    if (o.nats === undefined) throw new InvalidOptionError('joinCluster: options.sys', 'credentials used with options.nats (a transport brings its own events: options.disconnects)', o.sys);
    if (typeof o.sys !== 'object' || o.sys === null || typeof o.sys.user !== 'string' || typeof o.sys.pass !== 'string') {
      throw new InvalidOptionError('joinCluster: options.sys', "{ user, pass } of the servers' system account", o.sys);
    }
  }
  if (o.disconnects !== undefined && typeof o.disconnects !== 'function') {
    throw new InvalidOptionError('joinCluster: options.disconnects', 'a function (onClosed) => stop', o.disconnects);
  }
  const heartbeatMs = positiveMs('joinCluster: options.heartbeatMs', o.heartbeatMs, 1000);
  const downAfterMs = positiveMs('joinCluster: options.downAfterMs', o.downAfterMs, 5000);
  if (downAfterMs < 2 * heartbeatMs) {
    throw new InvalidOptionError('joinCluster: options.downAfterMs', `at least two heartbeats (>= ${2 * heartbeatMs} ms with heartbeatMs ${heartbeatMs})`, downAfterMs);
  }
  const r = o.registry;
  if (r !== undefined && typeof r !== 'boolean' && (typeof r !== 'object' || r === null)) {
    throw new InvalidOptionError('joinCluster: options.registry', 'true, or { kv?, bucket?, replicas?, timeoutMs? }', r);
  }
  if (r !== undefined && r !== false && o.nats === undefined && (typeof r !== 'object' || r.kv === undefined)) {
    throw new InvalidOptionError('joinCluster: options.registry', 'with a transport instead of nats, a store: { kv: new MemoryKvStore(...) }', r);
  }
  if ((r === undefined || r === false) && (o.leaseMs !== undefined || o.leaseTimeoutMs !== undefined)) {
    throw new InvalidOptionError('joinCluster: options.leaseMs', 'lease timings with registry: true (leases live in the registry bucket)', o.leaseMs ?? o.leaseTimeoutMs);
  }
  return { cluster: o.cluster, node: o.node, behaviours, heartbeatMs, downAfterMs };
}

/** The `timeout` option of a request to another node (`spawn`, `whereisOn`): default 5000 ms. @internal */
export function requestTimeout(operation: string, value: unknown): number {
  const timeout = value ?? 5000;
  if (typeof timeout !== 'number' || !(timeout > 0) || timeout > 2 ** 31 - 1) throw new InvalidOptionError(`${operation}: options.timeout`, 'milliseconds from 1 to 2^31-1', timeout);
  return timeout;
}
