import { Writable } from 'node:stream';
import winston from 'winston';
import { createSystem, type ActorRef, type ActorSystem } from '@arbor/core';

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

/** Resolves with the reason `ref` exits with (through an external monitor). */
export function exitReasonOf(system: ActorSystem, ref: ActorRef): Promise<unknown> {
  if (!system.isAlive(ref)) return Promise.resolve(system.getStatus(ref).exitReason);
  return new Promise((resolve) => system.monitor(ref, ({ reason }) => resolve(reason)));
}

/** Polls until `name` is held by a live actor other than `old`; returns it. */
export async function nextHolder(system: ActorSystem, name: string, old: ActorRef | undefined): Promise<ActorRef> {
  let found: ActorRef | undefined;
  const ok = await eventually(() => {
    found = system.whereis(name);
    return found !== undefined && found !== old && system.isAlive(found);
  });
  if (!ok || found === undefined) throw new Error(`no new actor registered as ${name}`);
  return found;
}

/** Records every uncaught exception while installed (xstate's reportUnhandledError rethrows in a timer). */
export function watchUncaught(): { readonly errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const onError = (e: unknown): void => void errors.push(e);
  process.on('uncaughtException', onError);
  return { errors, stop: () => void process.off('uncaughtException', onError) };
}

/** Lets timers due now (xstate's `setTimeout(() => { throw err })`) run: a few macrotask turns. */
export async function drainTimers(): Promise<void> {
  for (let i = 0; i < 3; i++) await sleep(0);
}

/** Polls a machine actor's snapshot until `cond` holds (or 2 s pass); returns the last snapshot read. */
export async function snapshotWhen<S>(read: () => Promise<S>, cond: (s: S) => boolean, ms = 2000): Promise<S> {
  const until = Date.now() + ms;
  let s = await read();
  while (!cond(s) && Date.now() < until) {
    await sleep(2);
    s = await read();
  }
  return s;
}
