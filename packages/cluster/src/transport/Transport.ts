/**
 * What a node needs from the message bus: subjects, one callback per subscription, status.
 *
 * Delivery contract every implementation keeps: per publisher, messages reach each subscriber in
 * publish order; at-most-once; callbacks run asynchronously (never inside `publish`).
 *
 * @example
 * const t: Transport = await NatsTransport.connect({ servers: url, name: 'n1-1' });
 * t.subscribe('arbor.c.n.n1-1', (data) => handle(data));
 * t.publish('arbor.c.n.n2-1', packr.pack(frames)); // a fresh buffer each time
 */
export interface Transport {
  /** The connection's name (the node's incarnation name; NATS shows it as the client name). */
  readonly name: string;
  /** Publishes `data`; the transport keeps the buffer until written (never reuse it). False when closed. Never throws. */
  publish(subject: string, data: Uint8Array): boolean;
  /** Subscribes; `subject` may use NATS wildcards `*` (one token) and `>` (the rest). */
  subscribe(subject: string, onMessage: (data: Uint8Array, subject: string) => void): TransportSubscription;
  /** Connection status changes: 'disconnect' (lost the server), 'reconnect', 'closed' (for good). */
  onStatus(listener: (status: TransportStatus) => void): () => void;
  /** Resolves once everything published so far has been written to the server (rejects when closed). */
  flush(): Promise<void>;
  /** Closes the connection (drains nothing; idempotent). */
  close(): Promise<void>;
  readonly closed: boolean;
  /** The largest message the bus takes, in bytes (NATS: the server's `max_payload`; default 1 MiB). */
  readonly maxPayload?: number;
}

/**
 * One subscription of a {@link Transport}; `unsubscribe()` is idempotent.
 *
 * @example
 * const sub = t.subscribe('arbor.c.hb.*', onHeartbeat);
 * sub.unsubscribe();
 */
export interface TransportSubscription { unsubscribe(): void }

/**
 * A connection status change of a {@link Transport}.
 *
 * @example
 * t.onStatus((s) => { if (s.type === 'closed') console.log('gone for good', s.error) });
 */
export type TransportStatus = { readonly type: 'disconnect' | 'reconnect' } | { readonly type: 'closed'; readonly error?: Error };
