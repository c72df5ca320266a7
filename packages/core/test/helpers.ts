import { Writable } from 'node:stream';
import winston from 'winston';
import { createSystem, type ActorSystem } from '../src/index.js';

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
