/** `npm start` in examples/deferred-reply: runs the example, printing to stdout. */
import { runDeferredReply } from './deferredReply.js';

await runDeferredReply(console.log);
