/**
 * One node of the demo's cluster part, as its own OS process:
 * `node clusterNode.js <nats-url> <name> worker|supervisor [peer]`.
 *
 * Both roles join the cluster over NATS and offer `WordIndex` by name. The supervisor node
 * waits for its peer, starts a supervisor whose child is `remote(...)`: a WordIndex placed on
 * the peer (else on itself), indexes the documents in it, and reports what happens as JSON
 * lines on stdout (`ready`, `child`, `nodedown`, `restarted`). SIGTERM stops the node cleanly.
 */
import { call, cast, createLogger, createSystem, isActorRef, Supervisor, type ActorRef } from '@arbor/core';
import { joinCluster, remote } from '@arbor/cluster';
import { DOCUMENTS, LOOKUP } from './documents.js';
import { WordIndex, type WordIndexProtocol } from './WordIndex.js';

const [url, name, role, peer] = process.argv.slice(2) as [string, string, 'worker' | 'supervisor', string | undefined];
const report = (event: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(event)}\n`);

// Quiet unless ARBOR_LOG_LEVEL asks (the supervisor's child_crashed report is the demo's story line instead).
const system = createSystem({ name, logger: createLogger(process.env.ARBOR_LOG_LEVEL === undefined ? 'silent' : undefined) });
const cluster = await joinCluster(system, { cluster: 'docservice', node: name, nats: { servers: url }, behaviours: { WordIndex }, heartbeatMs: 100, downAfterMs: 500 });
let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    await system.shutdown();
    await cluster.leave();
    process.exit(0);
  })();
});
report({ event: 'ready', incarnation: cluster.self.incarnation });

if (role === 'supervisor') {
  const deadline = Date.now() + 10_000;
  while (!cluster.nodes().some((n) => n.name === peer) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const sup = await Supervisor.start(system, {
    intensity: 3,
    period: 5,
    children: [{ id: 'word-index', start: remote({ cluster, nodes: [peer!, name] }, 'WordIndex') }],
  });
  const child = async (): Promise<ActorRef<WordIndexProtocol> | null> => {
    const [entry] = await Supervisor.whichChildren(sup);
    return entry !== undefined && typeof entry.ref === 'object' ? (entry.ref as ActorRef<WordIndexProtocol>) : null;
  };
  const fill = async (index: ActorRef<WordIndexProtocol>): Promise<{ where: string; lookup: readonly string[] }> => {
    for (const d of DOCUMENTS) cast(index, { type: 'index', ...d });
    return { where: await call(index, { type: 'where' }), lookup: await call(index, { type: 'lookup', word: LOOKUP }) };
  };
  const first = (await child())!;
  report({ event: 'child', id: first.id, ...(await fill(first)) });
  let downAt = 0;
  cluster.onNode((e) => {
    if (e.type !== 'nodedown') return;
    downAt = performance.now();
    report({ event: 'nodedown', node: e.node.name, reason: e.reason });
  });
  // The supervisor restarts the child on its EXIT (noconnection); wait for the new one.
  for (;;) {
    const now = await child();
    if (now !== null && now !== first) {
      const afterNodedownMs = Math.round(performance.now() - downAt);
      report({ event: 'restarted', id: now.id, local: isActorRef(now), afterNodedownMs, ...(await fill(now)) });
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
