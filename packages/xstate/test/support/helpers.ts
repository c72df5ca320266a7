/** Test helpers of @arbor/xstate: a capturing system, machine polling, uncaught-error watching (the shared ones come from @arbor/test-support). */
import { capturingLogger, eventually, sleep, type LogLine } from '@arbor/test-support';
import { createSystem, type ActorRef, type ActorSystem } from '@arbor/core';

export { eventually, exitReasonOf, sleep, type LogLine } from '@arbor/test-support';

/** A system whose winston logger writes into an array, for asserting on reports. */
export function capturingSystem(name = 'test'): { system: ActorSystem; logs: LogLine[] } {
  const { logger, logs } = capturingLogger();
  return { system: createSystem({ name, logger }), logs };
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
