/** Test helpers of @arbor/debug (the few of core's test helpers its tests use, over the public API). */
import { Writable } from 'node:stream';
import winston from 'winston';
import { createSystem, GenServer, type ActorRef, type ActorSystem, type Call } from '@arbor/core';

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

/** What a {@link Probe} answers: `link` links it to `ref` (as core's test Probe does). */
export interface ProbeProtocol {
  call: Call<'link', true, { ref: ActorRef }>;
}

/** A test actor: something live to find in a dump, that links on request. */
export class Probe extends GenServer<ProbeProtocol, undefined, undefined> {
  override handleCall(req: ProbeProtocol['call']): true {
    this.link(req.ref);
    return true;
  }
}
