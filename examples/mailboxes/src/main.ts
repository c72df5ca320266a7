/** `npm start` in examples/mailboxes: runs the example, printing to stdout. */
import { runMailboxes } from './mailboxes.js';

await runMailboxes(console.log);
