/**
 * A bounded mailbox: a sink spawned with `{ mailbox: { capacity: 3, overflow:
 * 'drop_oldest' } }` is suspended, cast six events, and resumed. Only the newest three
 * were kept: when the mailbox is full, the oldest queued message makes room.
 */
import { createLogger, createSystem, type LogLevel } from '@arbor/core';
import { Sink } from './Sink.js';

/** What the example observed. */
export interface MailboxesSummary {
  /** The events cast, the mailbox length while suspended, and the events the sink handled after it was resumed. */
  readonly sent: readonly string[];
  readonly suspendedMailboxLength: number;
  readonly survivors: readonly string[];
}

/**
 * Runs the example, printing each step with `print`.
 *
 * @example
 * const { survivors } = await runMailboxes(console.log); // ['e4', 'e5', 'e6']
 */
export async function runMailboxes(print: (line: string) => void, options: { logLevel?: LogLevel } = {}): Promise<MailboxesSummary> {
  const system = createSystem({ name: 'mailboxes', logger: createLogger(options.logLevel ?? 'warn') });
  try {
    print("A bounded mailbox: capacity 3, overflow 'drop_oldest'");
    const sink = await system.spawn(Sink, undefined, { mailbox: { capacity: 3, overflow: 'drop_oldest' } });
    await system.suspend(sink);
    const sent = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'];
    for (const name of sent) system.cast(sink, { type: 'event', name });
    const suspended = system.getStatus(sink);
    print(`  suspended sink#${sink.id}, cast ${sent.join(', ')}`);
    print(`  while suspended: status=${suspended.status} mailboxLength=${suspended.mailboxLength}`);
    await system.resume(sink);
    const survivors = await system.call(sink, { type: 'received' });
    print(`  resumed; the sink handled: ${survivors.join(', ')} (the oldest were dropped)`);
    return { sent, suspendedMailboxLength: suspended.mailboxLength, survivors };
  } finally {
    await system.shutdown();
  }
}
