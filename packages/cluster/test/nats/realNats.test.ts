/**
 * The cluster over a real nats-server (Debian's 2.9.10) with nodes in real child processes:
 * calls and links across processes, kill -9 of a node (noconnection on links and pending
 * calls), SIGSTOP past downAfterMs and SIGCONT (both sides fire, then talk again on a new
 * channel), graceful leave. Every server and process started here is gone at the end.
 */
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { call, CallExitError, cast, createLogger, createSystem, type ActorRef, type ActorSystem } from '@arbor/core';
import { eventually, hasNatsServer, isAlive, pollUntil, startNatsServer, type NatsServer } from '@arbor/test-support';
import { joinCluster, type Cluster, type NodeEvent } from '../../src/index.js';
import { NodeProbe, type NodeProbeProtocol } from '../support/actors.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/clusterNode.js', import.meta.url));
const pids: number[] = [];

interface Child {
  readonly proc: ChildProcess;
  readonly incarnation: string;
}

/** Forks a node process and waits for its `ready` line. */
async function startNode(url: string, name: string, heartbeatMs = 100, downAfterMs = 400, credentials: readonly string[] = []): Promise<Child> {
  const proc = spawn(process.execPath, [FIXTURE, url, name, String(heartbeatMs), String(downAfterMs), ...credentials], { stdio: ['pipe', 'pipe', 'inherit'] });
  pids.push(proc.pid!);
  const incarnation = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`node ${name} did not start: ${out}`)), 15_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\S+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => reject(new Error(`node ${name} exited with ${code}: ${out}`)));
  });
  return { proc, incarnation };
}

function stopChild(c: Child): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    c.proc.once('exit', () => resolve());
    c.proc.kill('SIGCONT');
    c.proc.kill('SIGKILL');
  });
}

async function main(server: NatsServer): Promise<{ system: ActorSystem; cluster: Cluster }> {
  const system = createSystem({ name: 'main', logger: createLogger('silent') });
  const cluster = await joinCluster(system, { cluster: 't', node: 'main', nats: { servers: server.url }, behaviours: { NodeProbe }, heartbeatMs: 100, downAfterMs: 400 });
  return { system, cluster };
}

test.after.always('no nats-server or node process started here is left running', (t) => {
  for (const pid of pids) t.false(isAlive(pid), `process ${pid} is gone`);
});

if (!hasNatsServer()) {
  test('nats-server is installed (apt-get install -y nats-server)', (t) => {
    if (process.env.CI !== undefined) t.fail('nats-server is not on PATH: apt-get install -y nats-server');
    t.log('nats-server is not on PATH: the real-NATS tests are skipped (apt-get install -y nats-server)');
    t.false(hasNatsServer(), 'the skip is taken only when nats-server is really missing');
  });
} else {
  test.serial('across processes: spawn, call, cast; kill -9 fires noconnection on links and rejects the pending call', async (t) => {
    const server = await startNatsServer({ jetstream: false });
    pids.push(server.pid);
    const { system, cluster } = await main(server);
    const child = await startNode(server.url, 'n1');
    try {
      t.true(await eventually(() => cluster.nodes().some((n) => n.incarnation === child.incarnation), 5000), 'main sees n1');
      const far = await cluster.spawn<NodeProbeProtocol>('n1', 'NodeProbe', undefined);
      for (let i = 0; i < 100; i++) cast(far, { type: 'push', value: i });
      t.deepEqual(await call(far, { type: 'got' }), Array.from({ length: 100 }, (_, i) => i));
      t.deepEqual(await call(far, { type: 'echo', value: { at: new Date(5), n: 7n } }), { at: new Date(5), n: 7n });
      const trapping = await system.spawn(NodeProbe, { trap: true });
      await call(trapping, { type: 'link', ref: far });
      const mref = await call(trapping, { type: 'monitor', ref: far });
      const events: NodeEvent[] = [];
      cluster.onNode((e) => events.push(e));
      const pending = call(far, { type: 'slow', ms: 60_000 }, { timeout: 60_000 });
      const killedAt = Date.now();
      child.proc.kill('SIGKILL');
      const e = await t.throwsAsync(pending, { instanceOf: CallExitError });
      t.is((e as CallExitError).reason, 'noconnection');
      t.log(`kill -9 -> pending call rejected in ${Date.now() - killedAt} ms (downAfterMs 400, no $SYS credentials)`);
      t.true(await pollUntil(async () => (await call(trapping, { type: 'got' })).length === 2, 5000));
      const infos = await call(trapping, { type: 'got' });
      t.deepEqual(infos, [
        { type: 'EXIT', from: far, reason: 'noconnection' },
        { type: 'DOWN', ref: mref, actor: far, reason: 'noconnection' },
      ]);
      t.deepEqual(events.map((x) => x.type), ['nodedown']);
    } finally {
      await stopChild(child);
      await cluster.leave();
      await system.shutdown();
      await server.stop();
    }
  });

  test.serial('SIGSTOP past downAfterMs: main fires noconnection; after SIGCONT both sides have fired and they talk again', async (t) => {
    const server = await startNatsServer({ jetstream: false });
    pids.push(server.pid);
    const { system, cluster } = await main(server);
    const child = await startNode(server.url, 'n2');
    try {
      t.true(await eventually(() => cluster.nodes().length === 1, 5000));
      const far = await cluster.spawn<NodeProbeProtocol>('n2', 'NodeProbe', { trap: true });
      const local = await system.spawn(NodeProbe, { trap: true });
      await call(local, { type: 'link', ref: far });
      child.proc.kill('SIGSTOP');
      t.true(await pollUntil(async () => (await call(local, { type: 'got' })).length === 1, 5000), 'main fired');
      t.like((await call(local, { type: 'got' }))[0], { type: 'EXIT', reason: 'noconnection' });
      child.proc.kill('SIGCONT');
      t.true(await eventually(() => cluster.nodes().length === 1, 5000), 'n2 is up again (same incarnation, new channel)');
      const farInfos = await pollUntil(async () => {
        const got = await call(far as ActorRef<NodeProbeProtocol>, { type: 'got' }).catch(() => []);
        return got.length === 1;
      }, 5000);
      t.true(farInfos, 'the frozen side fired its half of the link too');
      t.like((await call(far, { type: 'got' }))[0], { type: 'EXIT', reason: 'noconnection' });
    } finally {
      await stopChild(child);
      await cluster.leave();
      await system.shutdown();
      await server.stop();
    }
  });

  test.serial('graceful leave over NATS: main sees nodedown(leave) without waiting for the detector', async (t) => {
    const server = await startNatsServer({ jetstream: false });
    pids.push(server.pid);
    const system = createSystem({ name: 'main', logger: createLogger('silent') });
    const cluster = await joinCluster(system, { cluster: 't', node: 'main', nats: { servers: server.url }, heartbeatMs: 100, downAfterMs: 30_000 });
    const child = await startNode(server.url, 'n3', 100, 30_000);
    try {
      t.true(await eventually(() => cluster.nodes().length === 1, 5000));
      const events: NodeEvent[] = [];
      cluster.onNode((e) => events.push(e));
      child.proc.stdin!.write('leave\n');
      t.true(await eventually(() => events.length === 1, 10_000));
      t.like(events[0], { type: 'nodedown', reason: 'leave' });
      await new Promise<void>((r) => (child.proc.exitCode !== null ? r() : child.proc.once('exit', () => r())));
      t.is(child.proc.exitCode, 0);
    } finally {
      await stopChild(child);
      await cluster.leave();
      await system.shutdown();
      await server.stop();
    }
  });

  test.serial('with $SYS credentials a kill -9 is seen from the server\'s DISCONNECT event, long before downAfterMs', async (t) => {
    const server = await startNatsServer({
      jetstream: false,
      extraConfig: 'accounts { SYS { users: [{ user: sys, password: sys }] }, APP { users: [{ user: app, password: app }] } }\nsystem_account: SYS',
    });
    pids.push(server.pid);
    const system = createSystem({ name: 'main', logger: createLogger('silent') });
    const cluster = await joinCluster(system, {
      cluster: 't',
      node: 'main',
      nats: { servers: server.url, user: 'app', pass: 'app' },
      sys: { user: 'sys', pass: 'sys' },
      heartbeatMs: 1000,
      downAfterMs: 30_000,
    });
    const child = await startNode(server.url, 'n4', 1000, 30_000, ['app', 'app']);
    try {
      t.true(await eventually(() => cluster.nodes().length === 1, 5000));
      const far = await cluster.spawn<NodeProbeProtocol>('n4', 'NodeProbe', undefined);
      const trapping = await system.spawn(NodeProbe, { trap: true });
      await call(trapping, { type: 'link', ref: far });
      const events: NodeEvent[] = [];
      cluster.onNode((e) => events.push(e));
      const killedAt = Date.now();
      child.proc.kill('SIGKILL');
      t.true(await pollUntil(async () => (await call(trapping, { type: 'got' })).length === 1, 10_000));
      t.log(`kill -9 -> EXIT noconnection in ${Date.now() - killedAt} ms with $SYS events (downAfterMs 30000)`);
      t.like(events[0], { type: 'nodedown', reason: 'connection_closed' });
      t.like((await call(trapping, { type: 'got' }))[0], { type: 'EXIT', reason: 'noconnection' });
    } finally {
      await stopChild(child);
      await cluster.leave();
      await system.shutdown();
      await server.stop();
    }
  });
}
