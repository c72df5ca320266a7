/** Test helpers of @arbor/core: a capturing system and sync points (the shared ones come from @arbor/test-support). */
import { capturingLogger, eventually, type LogLine } from '@arbor/test-support';
import { createSystem, type ActorSystem, type Inbox } from '../../src/index.js';

export { eventually, exitReasonOf, settle, sleep, type LogLine } from '@arbor/test-support';

/** A system whose winston logger writes into an array, for asserting on reports. */
export function capturingSystem(name = 'test'): { system: ActorSystem; logs: LogLine[] } {
  const { logger, logs } = capturingLogger();
  return { system: createSystem({ name, logger }), logs };
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
