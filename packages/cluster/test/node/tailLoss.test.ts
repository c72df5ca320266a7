/**
 * A frame lost at the tail of a channel, with nothing sent after it on that channel (found by
 * test/nats/natsCluster.test.ts: kill -9 of the server a node is on, under call load). No
 * later batch shows the gap, so heartbeats say the last sequence number sent to each peer: a
 * batch still missing one heartbeat after it was announced was lost, and the channel resets.
 * The call whose CALL frame was that tail rejects with `CallExitError('noconnection')`
 * within about two heartbeats, not at its timeout.
 */
import test from 'ava';
import { call, CallExitError } from '@arbor/core';
import type { NodeEvent } from '../../src/index.js';
import type { NodeProbeProtocol } from '../support/actors.js';
import { memoryCluster, type TestNode } from '../support/memoryCluster.js';

test('a CALL frame lost at the tail of a channel rejects the call with noconnection, not at its timeout', async (t) => {
  // heartbeats 1 s apart: the next message from a to b is the call's batch
  const c = await memoryCluster(['a', 'b'], { heartbeatMs: 1000, downAfterMs: 60_000 });
  const [a, b] = c.nodes as [TestNode, TestNode];
  try {
    const onB = await a.cluster.spawn<NodeProbeProtocol>(b.name, 'NodeProbe', undefined);
    const events: NodeEvent[] = [];
    a.cluster.onNode((e) => events.push(e));
    c.net.dropNext(a.name, b.name, 1);
    const outcome = await call(onB, { type: 'echo', value: 1 }, { timeout: 3000 }).then(
      () => 'ok',
      (e: unknown) => (e instanceof CallExitError ? `exit:${String(e.reason)}` : (e as Error).name),
    );
    t.is(outcome, 'exit:noconnection', `the call ended with ${outcome}; node events on a: ${JSON.stringify(events.map((e) => e.type))}`);
  } finally {
    await c.stop();
  }
});
