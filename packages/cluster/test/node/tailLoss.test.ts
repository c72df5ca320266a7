/**
 * A known gap of the channel protocol (src/node/Cluster.ts), found by test/nats/natsCluster.test.ts
 * (kill -9 of the server a node is on, under call load): a frame lost at the tail of a
 * channel, with nothing sent after it on that channel, is never detected. Heartbeats carry no
 * sequence number, so the receiver sees no gap, the sender sees nothing at all, and a call
 * whose CALL (or REPLY) frame was that tail waits for its timeout instead of rejecting with
 * `CallExitError('noconnection')` ("frames in flight are lost, which the sequence check turns
 * into a channel reset, never a silent loss"). `test.failing`: this passes while the gap is
 * there, and fails (to be turned into a plain test) once the protocol detects the loss.
 */
import test from 'ava';
import { call, CallExitError } from '@arbor/core';
import type { NodeEvent } from '../../src/index.js';
import type { NodeProbeProtocol } from '../support/actors.js';
import { memoryCluster, type TestNode } from '../support/memoryCluster.js';

test.failing('a CALL frame lost at the tail of a channel rejects the call with noconnection, not at its timeout', async (t) => {
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
