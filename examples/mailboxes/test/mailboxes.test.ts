import test from 'ava';
import { runMailboxes } from '../src/mailboxes.js';

test("a bounded mailbox with 'drop_oldest' keeps the newest messages", async (t) => {
  const lines: string[] = [];
  const summary = await runMailboxes((line) => lines.push(line), { logLevel: 'silent' });
  t.is(summary.suspendedMailboxLength, 3);
  t.deepEqual(summary.survivors, ['e4', 'e5', 'e6']);
  t.true(lines.some((l) => l.includes('(the oldest were dropped)')));
});
