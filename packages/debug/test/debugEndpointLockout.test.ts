/**
 * A DebugEndpoint against local clients that try to hold its connections without the
 * token, over real sockets: bytes of a line that never ends, connections that send
 * nothing, lines with an unknown op. The owner's `fetchDump` is still answered.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { call, type ActorRef, type ActorSystem } from '@arbor/core';
import { DebugEndpoint, EndpointRefusedError, fetchDump, parseEndpoint, tokenFilePath, type DebugEndpointProtocol } from '../src/index.js';
import { capturingSystem, eventually } from './support/helpers.js';

/** Polls until `cond` holds (generous: the machine may be busy); returns whether it did. */
const until = (cond: () => boolean): Promise<boolean> => eventually(cond, 20_000);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Client {
  readonly socket: Socket;
  readonly lines: string[];
  readonly closed: Promise<void>;
  isClosed(): boolean;
}

/** A connected client socket (Unix path or 127.0.0.1 port) that collects the lines it is sent. */
function client(target: string | number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = typeof target === 'string' ? connect(target) : connect(target, '127.0.0.1');
    const lines: string[] = [];
    let buf = '';
    let closedNow = false;
    socket.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      const parts = buf.split('\n');
      buf = parts.pop()!;
      lines.push(...parts);
    });
    const closed = new Promise<void>((r) =>
      socket.on('close', () => {
        closedNow = true;
        r();
      }),
    );
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, lines, closed, isClosed: () => closedNow }));
    socket.once('error', reject);
  });
}

function connections(system: ActorSystem, ep: ActorRef): number {
  return ((system.getStatus(ep).details ?? {}) as Record<string, number>)['connections']!;
}

async function tcpEndpoint(ep: ActorRef<DebugEndpointProtocol>): Promise<{ endpoint: string; port: number; token: string }> {
  const endpoint = await call(ep, { type: 'endpoint' });
  const { port } = parseEndpoint(endpoint) as { port: number };
  return { endpoint, port, token: readFileSync(tokenFilePath(port), 'utf8').trim() };
}

test('TCP: 12 clients without the token, each sending one "{" every 200 ms, cannot lock the owner out: each is closed and fetchDump is answered', async (t) => {
  const { system } = capturingSystem('trickle');
  const ep = await system.spawn(DebugEndpoint, { port: 0, idleTimeout: 300, maxConnections: 4 });
  const { endpoint, port } = await tcpEndpoint(ep);
  const clients = await Promise.all(Array.from({ length: 12 }, () => client(port)));
  const timer = setInterval(() => {
    for (const c of clients) if (!c.isClosed()) c.socket.write('{');
  }, 200);
  try {
    await sleep(3000);
    t.is((await fetchDump(endpoint)).system, 'trickle', 'the owner is answered');
    t.true(await until(() => clients.every((c) => c.isClosed())), `${clients.filter((c) => !c.isClosed()).length} trickling clients still connected`);
    for (const c of clients) {
      t.is(c.lines.length, 1);
      t.regex(JSON.parse(c.lines[0]!).error.code as string, /^(unauthorized|idle_timeout|too_many_connections)$/);
    }
  } finally {
    clearInterval(timer);
    for (const c of clients) c.socket.destroy();
  }
  await system.shutdown();
});

test('Unix socket: a line that never ends is closed after its deadline although a byte arrives every 100 ms', async (t) => {
  const { system } = capturingSystem('line');
  const dir = mkdtempSync(join(tmpdir(), 'arbor-lo-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'debug.sock');
  await system.spawn(DebugEndpoint, { path, idleTimeout: 300 });
  const c = await client(path);
  const timer = setInterval(() => {
    if (!c.isClosed()) c.socket.write(' ');
  }, 100);
  c.socket.write('{"op":');
  try {
    t.true(await until(() => c.isClosed()), 'the connection is closed');
    t.is(c.lines.length, 1);
    t.like(JSON.parse(c.lines[0]!), { ok: false, error: { code: 'idle_timeout' } }); // the idle timer or the line's deadline, whichever fires first
  } finally {
    clearInterval(timer);
    c.socket.destroy();
  }
  t.is((await fetchDump(path)).system, 'line');
  await system.shutdown();
});

test('TCP: connections that never sent the token hold no place: with 4 silent ones open, fetchDump is answered and the oldest silent one is dropped', async (t) => {
  const { system } = capturingSystem('silent');
  const ep = await system.spawn(DebugEndpoint, { port: 0, maxConnections: 4 });
  const { endpoint, port, token } = await tcpEndpoint(ep);
  const silent = await Promise.all(Array.from({ length: 4 }, () => client(port)));
  t.true(await until(() => connections(system, ep) === 4));
  t.is((await fetchDump(endpoint)).system, 'silent');
  t.true(await until(() => silent.filter((c) => c.isClosed()).length === 1), 'one silent connection made room');
  t.true(silent[0]!.isClosed(), 'the oldest one');
  t.like(JSON.parse(silent[0]!.lines[0]!), { ok: false, error: { code: 'too_many_connections' } });

  // The places go to connections that showed the token: 4 held, a 5th is refused, silent ones drop none of them.
  const owners = await Promise.all(Array.from({ length: 4 }, () => client(port)));
  for (const o of owners) o.socket.write(`{"op":"dump","token":${JSON.stringify(token)}}\n`);
  t.true(await until(() => owners.every((o) => o.lines.length === 1)));
  const more = await Promise.all(Array.from({ length: 6 }, () => client(port)));
  const e = await t.throwsAsync(fetchDump(endpoint), { instanceOf: EndpointRefusedError });
  t.is(e.refusal, 'too_many_connections');
  t.true(owners.every((o) => !o.isClosed()), 'the connections with the token stay');
  for (const c of [...silent, ...owners, ...more]) c.socket.destroy();
  t.true(await until(() => connections(system, ep) === 0));
  await system.shutdown();
});

test('TCP: a line with an unknown op and no token is refused as unauthorized, not answered and kept', async (t) => {
  const { system } = capturingSystem('unknown');
  const ep = await system.spawn(DebugEndpoint, { port: 0 });
  const { port, token } = await tcpEndpoint(ep);
  const c = await client(port);
  c.socket.write('{"op":"nope"}\n');
  await c.closed;
  t.is(c.lines.length, 1);
  t.like(JSON.parse(c.lines[0]!), { ok: false, error: { code: 'unauthorized' } });
  const ok = await client(port);
  ok.socket.write(`{"op":"nope","token":${JSON.stringify(token)}}\n`);
  t.true(await until(() => ok.lines.length === 1));
  t.like(JSON.parse(ok.lines[0]!), { ok: false, error: { code: 'unknown_op' } });
  t.false(ok.isClosed(), 'with the token, a newer client\'s op is answered and the connection kept');
  ok.socket.destroy();
  await system.shutdown();
});
