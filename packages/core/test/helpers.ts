import { Writable } from 'node:stream';
import winston from 'winston';
import { createSystem, type ActorRef, type ActorSystem, type Inbox } from '../src/index.js';

/** A log line captured by {@link capturingSystem}. */
export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

/** A system whose winston logger writes into an array, for asserting on reports. */
export function capturingSystem(name = 'test'): { system: ActorSystem; logs: LogLine[] } {
  const logs: LogLine[] = [];
  const stream = new Writable({
    objectMode: true,
    write(info: LogLine, _enc, done) {
      logs.push(info);
      done();
    },
  });
  const logger = winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream })] });
  return { system: createSystem({ name, logger }), logs };
}

/** Resolves after `ms` milliseconds (real timers). */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Lets queued microtasks and one macrotask turn run. */
export function settle(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** Polls `cond` until it holds or `ms` pass; returns whether it held. */
export async function eventually(cond: () => boolean, ms = 2000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (cond()) return true;
    await sleep(2);
  }
  return cond();
}

/**
 * Resolves with the reason `ref` exits with (through an external monitor). For an actor
 * that is already dead, resolves with the reason it died with.
 */
export function exitReasonOf(system: ActorSystem, ref: ActorRef): Promise<unknown> {
  if (!system.isAlive(ref)) return Promise.resolve(system.getStatus(ref).exitReason);
  return new Promise((resolve) => system.monitor(ref, ({ reason }) => resolve(reason)));
}

let markers = 0;

/**
 * Sends a unique marker to the inbox and waits for it. The inbox handles its mailbox in
 * order, so every message delivered to it before the call is then in `inbox.pending`
 * (or was taken by a `receive`). Returns a copy of `inbox.pending`.
 */
export async function syncInbox(system: ActorSystem, inbox: Inbox): Promise<unknown[]> {
  const marker = { type: 'marker', n: ++markers };
  system.send(inbox.ref, marker);
  await inbox.receive((m) => m === marker);
  return [...inbox.pending];
}

/**
 * Logs a unique marker line and waits until it is captured: every line logged before
 * the call is then in `logs`. Returns the lines logged before the marker.
 */
export async function syncLogs(system: ActorSystem, logs: readonly LogLine[]): Promise<LogLine[]> {
  const marker = `marker-${++markers}`;
  system.logger.info(marker);
  if (!(await eventually(() => logs.some((l) => l.message === marker), 5000))) throw new Error('log marker never arrived');
  const i = logs.findIndex((l) => l.message === marker);
  return logs.slice(0, i);
}
