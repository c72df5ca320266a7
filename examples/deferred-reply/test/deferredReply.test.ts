import test from 'ava';
import { runDeferredReply } from '../src/deferredReply.js';

test('deferred replies arrive in order; the async handler finishes before the next message', async (t) => {
  const summary = await runDeferredReply(() => undefined, { logLevel: 'silent' });
  t.is(summary.waitingAtGate, 2);
  t.deepEqual(summary.deferredReplies, ['alice admitted with ticket 1', 'bob admitted with ticket 2']);
  t.is(summary.lookupReply, 'CONFIG (looked up in 25 ms)');
  t.deepEqual(summary.lookupLog, ['lookup config: started', 'lookup config: finished', 'note: cast while the lookup was awaiting']);
});
