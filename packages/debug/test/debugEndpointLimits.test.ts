/**
 * A DebugEndpoint under hostile or careless clients, over real sockets: one dump built for
 * many waiting clients, a large dump built in slices while the application's timers run,
 * backpressure against a flood of requests from a client that reads nothing, and the
 * caps on connections and idle time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { GenServer, type ActorRef, type ActorSystem, type StatusDetails } from '@arbor/core';
import { DebugEndpoint, EndpointRefusedError, fetchDump } from '../src/index.js';
import { capturingSystem, eventually } from './support/helpers.js';

const spawned: number[] = [];

/** Polls until `cond` holds (generous: the machine may be busy); returns whether it did. */
const until = (cond: () => boolean): Promise<boolean> => eventually(cond, 20_000);

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'arbor-l-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The endpoint's load as its formatStatus reports it (read even while it is suspended). */
function load(system: ActorSystem, ep: ActorRef): { connections: number; queued: number; waiting: number; builds: number; mailbox: number } {
  const s = system.getStatus(ep);
  const d = (s.details ?? {}) as Record<string, number>;
  return { connections: d['connections']!, queued: d['queued']!, waiting: d['waiting']!, builds: d['builds']!, mailbox: s.mailboxLength };
}

/** A connected client socket that collects the lines it is sent. */
function client(path: string): Promise<{ socket: Socket; lines: string[]; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const lines: string[] = [];
    let buf = '';
    socket.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      const parts = buf.split('\n');
      buf = parts.pop()!;
      lines.push(...parts);
    });
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, lines, closed }));
    socket.once('error', reject);
  });
}

// ------------------------------------------------------------------ amplification

test('parallel requests share one dump: 40 clients waiting while the endpoint is suspended get their answers from one build', async (t) => {
  const { system } = capturingSystem('share');
  const path = join(tempDir(t), 'debug.sock');
  const ep = await system.spawn(DebugEndpoint, { path, maxConnections: 64 });
  await system.suspend(ep);
  const clients = await Promise.all(Array.from({ length: 40 }, () => client(path)));
  for (const c of clients) c.socket.write('{"op":"dump"}\n');
  t.true(await until(() => load(system, ep).waiting === 40), JSON.stringify(load(system, ep)));
  t.is(load(system, ep).mailbox, 1, 'one build request in the mailbox, not one message per client');
  await system.resume(ep);
  t.true(await until(() => clients.every((c) => c.lines.length === 1)));
  const answers = clients.map((c) => JSON.parse(c.lines[0]!) as { ok: boolean; dump: { takenAt: string } });
  t.true(answers.every((a) => a.ok));
  t.is(new Set(answers.map((a) => a.dump.takenAt)).size, 1, 'every client got the same snapshot');
  t.is(load(system, ep).builds, 1);
  for (const c of clients) c.socket.destroy();
  await system.shutdown();
});

test('a client that pipelines 50 requests gets 50 answers in order from 4 builds: up to 16 requests in a row share one dump', async (t) => {
  const { system } = capturingSystem('pipe');
  const path = join(tempDir(t), 'debug.sock');
  const ep = await system.spawn(DebugEndpoint, { path });
  await system.suspend(ep);
  const c = await client(path);
  const ops = Array.from({ length: 50 }, (_, i) => (i === 20 ? 'text' : 'dump'));
  c.socket.write(ops.map((op) => `{"op":"${op}"}\n`).join(''));
  t.true(await until(() => load(system, ep).queued === 32), JSON.stringify(load(system, ep))); // 16 wait for the dump, 16 read ahead, the rest not split yet
  await system.resume(ep);
  t.true(await until(() => c.lines.length === 50), `${c.lines.length} answers`);
  const answers = c.lines.map((l) => JSON.parse(l) as { ok: boolean; dump?: unknown; text?: string });
  t.true(answers.every((a) => a.ok));
  t.deepEqual(
    answers.map((a) => ('text' in a ? 'text' : 'dump')),
    ops,
  );
  t.is(load(system, ep).builds, 4);
  c.socket.destroy();
  await system.shutdown();
});

let ticks = 0;

/** Reports the application's timer tick count when the dump reads it. */
class Ticking extends GenServer<{}, undefined> {
  override formatStatus(): StatusDetails {
    return { tick: ticks };
  }
}

test('a large dump is built in slices: the application\'s timer keeps firing while the endpoint builds it', async (t) => {
  const { system } = capturingSystem('big');
  const path = join(tempDir(t), 'debug.sock');
  const ep = await system.spawn(DebugEndpoint, { path });
  for (let i = 0; i < 20_000; i++) await system.spawn(Ticking, undefined);
  const timer = setInterval(() => ticks++, 1);
  try {
    const d = await fetchDump(path, { timeout: 60_000 });
    const seen = new Set(d.roots.filter((n) => n.behaviour === 'Ticking').map((n) => (n.details as { tick: number }).tick));
    t.is(d.actors, 20_001);
    t.true(seen.size > 1, `the timer fired between the nodes of one dump (ticks seen: ${[...seen].length})`);
  } finally {
    clearInterval(timer);
  }
  t.is(load(system, ep).builds, 1);
  await system.shutdown();
});

// ------------------------------------------------------------------ backpressure

test('100 MB of request lines from a client that reads nothing: the endpoint stops reading, its mailbox and queue stay bounded, and it serves the client again once it reads', async (t) => {
  const { system } = capturingSystem('flood');
  const path = join(tempDir(t), 'debug.sock');
  const ep = await system.spawn(DebugEndpoint, { path });
  const socket = connect(path);
  socket.on('error', () => {});
  socket.pause(); // reads nothing
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const line = '{"op":"dump"}\n';
  const chunk = Buffer.from(line.repeat(Math.floor((1024 * 1024) / line.length)));
  for (let i = 0; i < 100; i++) socket.write(chunk); // the same 1 MB buffer, queued 100 times
  let maxMailbox = 0;
  let maxQueued = 0;
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 10));
    const l = load(system, ep);
    maxMailbox = Math.max(maxMailbox, l.mailbox);
    maxQueued = Math.max(maxQueued, l.queued + l.waiting);
  }
  t.true(maxMailbox <= 1, `mailbox peaked at ${maxMailbox}`);
  t.true(maxQueued <= 16 + chunk.length / line.length, `requests read and not answered peaked at ${maxQueued}`);
  t.true(socket.writableLength > 50 * 1024 * 1024, `the endpoint stopped reading: ${socket.writableLength} bytes still unsent`);
  t.true(system.isAlive(ep));

  let answers = 0;
  socket.on('data', (c: Buffer) => {
    for (const b of c) if (b === 10) answers++;
  });
  socket.resume();
  t.true(await until(() => answers >= 200), `answers once the client reads: ${answers}`);
  socket.destroy();
  t.true(await until(() => load(system, ep).connections === 0));
  t.is((await fetchDump(path)).system, 'flood');
  await system.shutdown();
});

test('one 64 KiB write of ~4,600 requests is not split all at once: at most 16 wait for the dump and 16 more are read ahead, the rest are answered later in order', async (t) => {
  const { system } = capturingSystem('chunk');
  const path = join(tempDir(t), 'debug.sock');
  const ep = await system.spawn(DebugEndpoint, { path });
  await system.suspend(ep);
  const c = await client(path);
  const line = '{"op":"dump"}\n';
  const count = Math.floor((64 * 1024) / line.length);
  c.socket.write(line.repeat(count));
  t.true(await until(() => load(system, ep).waiting === 1), JSON.stringify(load(system, ep)));
  await new Promise((r) => setTimeout(r, 200)); // let the endpoint read all it will
  t.true(load(system, ep).queued <= 32, `requests split and not answered: ${load(system, ep).queued} of ${count}`);
  await system.resume(ep);
  t.true(await until(() => c.lines.length === count), `${c.lines.length} of ${count} answers`);
  t.true(c.lines.every((l) => (JSON.parse(l) as { ok: boolean }).ok));
  c.socket.destroy();
  await system.shutdown();
});

// ------------------------------------------------------------------ connections

test('connections are capped: one over maxConnections gets a too_many_connections line and is closed; fetchDump rejects with EndpointRefusedError', async (t) => {
  const { system } = capturingSystem('cap');
  const path = join(tempDir(t), 'debug.sock');
  const ep = await system.spawn(DebugEndpoint, { path, maxConnections: 3 });
  const held = await Promise.all([client(path), client(path), client(path)]);
  t.true(await until(() => load(system, ep).connections === 3));
  const extra = await client(path);
  await extra.closed;
  t.is(extra.lines.length, 1);
  t.like(JSON.parse(extra.lines[0]!), { ok: false, error: { code: 'too_many_connections' } });
  t.regex(extra.lines[0]!, /at most 3 connections at once \(DebugEndpoint option maxConnections\)/);
  const e = await t.throwsAsync(fetchDump(path), { instanceOf: EndpointRefusedError });
  t.is(e.refusal, 'too_many_connections');
  t.is(e.code, 'endpoint_refused');
  held[0]!.socket.destroy();
  t.true(await until(() => load(system, ep).connections === 2));
  t.is((await fetchDump(path)).system, 'cap');
  for (const c of held) c.socket.destroy();
  await system.shutdown();
});

test('the default cap of 32 keeps file descriptors for the application: 100 connections from another process hold at most 32 of ours', async (t) => {
  const { system } = capturingSystem('fds');
  const path = join(tempDir(t), 'debug.sock');
  const ep = await system.spawn(DebugEndpoint, { path });
  const fds = (): number => {
    try {
      return readdirSync('/proc/self/fd').length;
    } catch {
      return 0;
    }
  };
  const before = fds();
  const script = `
    const net = require('net');
    let open = 0, closed = 0;
    for (let i = 0; i < 100; i++) {
      const s = net.connect(${JSON.stringify(path)});
      s.on('connect', () => { if (++open === 100) console.log('connected'); });
      s.on('error', () => {});
      s.resume();
      s.on('close', () => { if (++closed === 68) console.log('refused'); });
    }
    process.stdin.resume();
    process.stdin.on('end', () => process.exit(0));
  `;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  spawned.push(child.pid!);
  t.teardown(() => void child.kill());
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  t.true(await until(() => out.includes('refused')), `68 of 100 connections refused and closed (child said ${JSON.stringify(out)})`);
  t.is(load(system, ep).connections, 32);
  if (before > 0) {
    const held = fds() - before;
    t.true(held <= 32 + 2, `this process holds ${held} more fds`);
  } else t.log('no /proc/self/fd here: the fds held are not counted, only the connections');
  child.stdin!.end();
  await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
  t.true(await until(() => load(system, ep).connections === 0));
  await system.shutdown();
});

// Serial: run alone in this file, so the busy client's requests are not held up by the heavy tests above.
test.serial('an idle connection is closed after idleTimeout with an idle_timeout line; one that keeps asking is not', async (t) => {
  const { system } = capturingSystem('idle');
  const path = join(tempDir(t), 'debug.sock');
  const ep = await system.spawn(DebugEndpoint, { path, idleTimeout: 1000 });
  const idle = await client(path);
  const busy = await client(path);
  // The busy client asks again as soon as each answer arrives: it is never idle.
  let asking = true;
  let asked = 1;
  busy.socket.on('data', () => {
    if (!asking) return;
    asked++;
    busy.socket.write('{"op":"dump"}\n');
  });
  busy.socket.write('{"op":"dump"}\n');
  await idle.closed;
  asking = false;
  t.is(idle.lines.length, 1);
  t.like(JSON.parse(idle.lines[0]!), { ok: false, error: { code: 'idle_timeout', message: 'no request or read for 1000 ms; reconnect to ask again' } });
  t.false(busy.socket.destroyed, `the client that asked ${asked} times is still connected`);
  t.true(asked > 1);
  await busy.closed; // idle now: closed in turn
  t.true(busy.lines.slice(0, -1).every((l) => (JSON.parse(l) as { ok: boolean }).ok));
  t.like(JSON.parse(busy.lines.at(-1)!), { ok: false, error: { code: 'idle_timeout' } });
  t.true(await until(() => load(system, ep).connections === 0));
  await system.shutdown();
});

test.after.always('every process this file started is gone', async (t) => {
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 200 && spawned.some(alive); i++) await new Promise((r) => setTimeout(r, 10));
  t.deepEqual(spawned.filter(alive), []);
});
