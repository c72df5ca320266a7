/**
 * DebugEndpoint and fetchDump over real sockets in temp directories: the protocol, TCP on
 * 127.0.0.1 only, stale and taken socket paths, cleanup on stop / kill / parent exit, and
 * every client error.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { call, createSystem, createLogger, InitError, InvalidOptionError, openInbox, type Dump } from '@arbor/core';
import {
  DebugEndpoint,
  defaultEndpointDir,
  defaultEndpointPath,
  DumpTimeoutError,
  EndpointInUseError,
  EndpointPathError,
  EndpointUnreachableError,
  fetchDump,
  findEndpoints,
  formatEndpoint,
  InvalidEndpointError,
  MalformedDumpError,
  parseEndpoint,
  PublicHostError,
} from '../src/index.js';
import { capturingSystem, eventually, exitReasonOf, Probe } from './support/helpers.js';

/** A fresh short temp directory (Unix socket paths are limited to about 100 bytes). */
function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'arbor-t-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs a node process that listens on `path` and exits without closing: a crashed app's stale socket. */
function leaveStaleSocket(path: string): Promise<void> {
  const script = `require('net').createServer().listen(${JSON.stringify(path)}, () => process.exit(0))`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], (error) => (error ? reject(error) : resolve()));
  });
}

/** A server that does `onSocket` with each connection; closed at teardown. */
async function fakeServer(t: { teardown(fn: () => Promise<void>): void }, listenOn: string | 0, onSocket: (s: Socket) => void): Promise<{ server: Server; endpoint: string }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.resume(); // read to the end, so a client's close is seen
    onSocket(s);
  });
  await new Promise<void>((r) => (listenOn === 0 ? server.listen(0, '127.0.0.1', r) : server.listen(listenOn, r)));
  t.teardown(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  const address = server.address();
  return { server, endpoint: typeof address === 'string' ? address : `127.0.0.1:${address!.port}` };
}

function openConnections(server: Server): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
}

/** Polls until the server has no open connection; returns whether that happened. */
async function allClosed(server: Server): Promise<boolean> {
  for (let i = 0; i < 1000; i++) {
    if ((await openConnections(server)) === 0) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

/** The pid of a node process that has exited. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', 'console.log(process.pid)'], (error, stdout) => (error ? reject(error) : resolve(Number(stdout.trim()))));
  });
}

/** Sends `data` on one connection and collects the answer lines until the endpoint closes it. */
function readUntilClosed(path: string, data: string): Promise<{ lines: string[]; closed: boolean }> {
  return new Promise((resolve) => {
    const s = connect(path, () => s.write(data));
    let buf = '';
    s.on('data', (chunk) => (buf += chunk.toString('utf8')));
    s.on('error', () => {});
    s.on('close', () => resolve({ lines: buf.split('\n').filter((l) => l !== ''), closed: true }));
  });
}

/** Sends raw lines on one connection and collects `count` answer lines. */
function rawExchange(path: string, lines: string[], count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const s = connect(path);
    let buf = '';
    s.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      const got = buf.split('\n').filter((l) => l !== '');
      if (got.length >= count && buf.endsWith('\n')) {
        s.destroy();
        resolve(got);
      }
    });
    s.on('error', reject);
    s.on('connect', () => s.write(lines.map((l) => `${l}\n`).join('')));
  });
}

// ------------------------------------------------------------------ serving

test('serves the dump on a Unix socket; fetchDump reads it', async (t) => {
  const { system } = capturingSystem('shop');
  const path = join(tempDir(t), 'debug.sock');
  const worker = await system.spawn(Probe, undefined, { name: 'worker' });
  const ep = await system.spawn(DebugEndpoint, { path });
  t.is(await call(ep, { type: 'endpoint' }), path);
  t.is((await system.getState<{ endpoint: string }>(ep)).endpoint, path);
  t.true(existsSync(path));

  const d = await fetchDump(path);
  t.like(d, { version: 1, system: 'shop', pid: process.pid, actors: 2 });
  t.deepEqual(
    d.roots.map((n) => [n.id, n.behaviour, n.names]),
    [
      [worker.id, 'Probe', ['worker']],
      [ep.id, 'DebugEndpoint', []],
    ],
  );
  t.is(d.roots[1]!.status, 'running', 'the endpoint is handling the request while it takes the dump');
  await system.stop(ep);
  await system.shutdown();
});

test('the protocol: one answer line per request line, in order, on one connection', async (t) => {
  const { system } = capturingSystem('proto');
  const path = join(tempDir(t), 'debug.sock');
  await system.spawn(DebugEndpoint, { path });
  const answers = (await rawExchange(path, ['{"op":"text"}', '{"op":"nope"}', '', '{"op":"dump"}'], 3)).map((l) => JSON.parse(l));
  t.is(answers.length, 3, 'the empty line gets no answer');
  t.true(answers[0].ok);
  t.regex(answers[0].text, /^system "proto", pid \d+, 1 actor, taken .*\n└── DebugEndpoint #[\w-]+ running connections=1 queued=\d+ waiting=0 builds=1, mailbox \d+$/);
  t.like(answers[1], { ok: false, error: { code: 'unknown_op' } });
  t.like(answers[2], { ok: true, dump: { version: 1, system: 'proto' } });
  await system.shutdown();
});

test('a line that is not a JSON object breaks the protocol: one bad_request line, then the connection is closed', async (t) => {
  const { system } = capturingSystem('proto');
  const path = join(tempDir(t), 'debug.sock');
  const ep = await system.spawn(DebugEndpoint, { path });
  const { lines, closed } = await readUntilClosed(path, 'not json\n{"op":"dump"}\n');
  t.true(closed);
  t.deepEqual(lines.map((l) => JSON.parse(l)), [{ ok: false, error: { code: 'bad_request', message: 'a request is one line of JSON, such as {"op":"dump"}' } }]);
  for (const notAnObject of ['5', '"dump"', '[{"op":"dump"}]', 'null']) {
    const other = await readUntilClosed(path, `${notAnObject}\n{"op":"dump"}\n`);
    t.deepEqual(other.lines.map((l) => JSON.parse(l)), [{ ok: false, error: { code: 'bad_request', message: 'a request is one JSON object per line, such as {"op":"dump"}' } }], notAnObject);
  }
  t.true(system.isAlive(ep));
  t.is((await fetchDump(path)).actors, 1);
  await system.shutdown();
});

test('a request line longer than 64 KiB closes that connection with a request_too_large line; the endpoint keeps serving', async (t) => {
  const { system } = capturingSystem();
  const path = join(tempDir(t), 'debug.sock');
  const ep = await system.spawn(DebugEndpoint, { path });
  const { lines, closed } = await readUntilClosed(path, 'x'.repeat(200 * 1024));
  t.true(closed);
  t.is(lines.length, 1);
  t.like(JSON.parse(lines[0]!), { ok: false, error: { code: 'request_too_large' } });
  t.regex(JSON.parse(lines[0]!).error.message, /a request line is at most 65536 bytes/);
  t.true(system.isAlive(ep));
  t.is((await fetchDump(path)).actors, 1);
  await system.shutdown();
});

test('TCP on 127.0.0.1: port 0 picks a free port, and the endpoint call tells which', async (t) => {
  const { system } = capturingSystem();
  const ep = await system.spawn(DebugEndpoint, { port: 0, host: '127.0.0.1' });
  const endpoint = await call(ep, { type: 'endpoint' });
  t.regex(endpoint, /^127\.0\.0\.1:\d+$/);
  t.is((await fetchDump(endpoint)).roots[0]!.id, ep.id);
  const other = await system.spawn(DebugEndpoint, { port: 0 });
  t.not(await call(other, { type: 'endpoint' }), endpoint);
  await system.shutdown();
  await t.throwsAsync(fetchDump(endpoint), { instanceOf: EndpointUnreachableError });
});

test('refuses any host but 127.0.0.1 with PublicHostError, and binds nothing', async (t) => {
  const { system } = capturingSystem();
  for (const host of ['0.0.0.0', '::', 'localhost', '192.168.1.10']) {
    // @ts-expect-error -- host only admits '127.0.0.1'
    const e = await t.throwsAsync(system.spawn(DebugEndpoint, { port: 0, host }), { instanceOf: InitError });
    t.true(e.reason instanceof PublicHostError, host);
    t.is((e.reason as PublicHostError).code, 'public_host');
    t.regex((e.reason as Error).message, /only on a Unix socket or on 127\.0\.0\.1; leave host out \(or set it to 127\.0\.0\.1\)/);
  }
  t.is(system.size, 0);
  await system.shutdown();
});

test('bad options are refused with InvalidOptionError naming the option', async (t) => {
  const { system } = capturingSystem();
  const dir = tempDir(t);
  const cases: [unknown, RegExp][] = [
    [{ path: join(dir, 'a.sock'), port: 1 }, /either \{ path \} or \{ port \}/],
    [{ port: 70000 }, /options.port must be an integer from 0 to 65535/],
    [{ host: '127.0.0.1' }, /options.port must be a port when host is given/],
    [{ path: '' }, /options.path must be a non-empty string/],
    [{ path: join(dir, 'x'.repeat(120)) }, /options.path must be a path of at most \d+ bytes/],
    ['nope', /options must be an object/],
  ];
  for (const [options, message] of cases) {
    const e = await t.throwsAsync(system.spawn(DebugEndpoint, options as never), { instanceOf: InitError });
    t.true(e.reason instanceof InvalidOptionError);
    t.regex((e.reason as Error).message, message);
  }
  await system.shutdown();
});

// ------------------------------------------------------------------ the socket file

test('a stale socket file left by a crashed process is replaced', async (t) => {
  const path = join(tempDir(t), 'debug.sock');
  await leaveStaleSocket(path);
  t.true(existsSync(path), 'the crashed process left its socket');
  await t.throwsAsync(fetchDump(path), { instanceOf: EndpointUnreachableError, message: /connection refused/ });

  const { system } = capturingSystem();
  await system.spawn(DebugEndpoint, { path });
  t.is((await fetchDump(path)).actors, 1);
  await system.shutdown();
  t.false(existsSync(path));
});

test('a socket another server listens on fails the start with EndpointInUseError, and is left alone', async (t) => {
  const path = join(tempDir(t), 'debug.sock');
  const { server } = await fakeServer(t, path, (s) => s.end('mine\n'));
  const { system } = capturingSystem();
  const e = await t.throwsAsync(system.spawn(DebugEndpoint, { path }), { instanceOf: InitError });
  t.true(e.reason instanceof EndpointInUseError);
  t.regex((e.reason as Error).message, /already listens on .*debug\.sock; stop the process that owns it, or give DebugEndpoint another/);
  t.true(server.listening);
  t.true(existsSync(path));
  await system.shutdown();
});

test('a second endpoint on a taken TCP port fails with EndpointInUseError', async (t) => {
  const { system } = capturingSystem();
  const first = await system.spawn(DebugEndpoint, { port: 0 });
  const port = parseEndpoint(await call(first, { type: 'endpoint' }));
  const e = await t.throwsAsync(system.spawn(DebugEndpoint, port as { port: number }), { instanceOf: InitError });
  t.true(e.reason instanceof EndpointInUseError);
  await system.shutdown();
});

test('a path that holds a regular file fails with EndpointPathError and the file is kept', async (t) => {
  const path = join(tempDir(t), 'notes.txt');
  writeFileSync(path, 'keep me');
  const { system } = capturingSystem();
  const e = await t.throwsAsync(system.spawn(DebugEndpoint, { path }), { instanceOf: InitError });
  t.true(e.reason instanceof EndpointPathError);
  t.is((e.reason as EndpointPathError).code, 'endpoint_path_taken');
  t.is(readFileSync(path, 'utf8'), 'keep me');
  await system.shutdown();
});

test('the socket file is removed when the endpoint stops, is killed, gets an exit signal, or its parent exits', async (t) => {
  const dir = tempDir(t);
  const { system } = capturingSystem();

  const stopped = join(dir, 'stopped.sock');
  const a = await system.spawn(DebugEndpoint, { path: stopped });
  await system.stop(a, 'shutdown');
  t.false(existsSync(stopped), 'removed by the time stop resolves');

  const killed = join(dir, 'killed.sock');
  const b = await system.spawn(DebugEndpoint, { path: killed });
  system.exit(b, 'kill');
  t.true(await eventually(() => !existsSync(killed)), 'removed after a kill too (terminate does not run then)');

  const orphaned = join(dir, 'parent.sock');
  const inbox = await openInbox(system);
  const c = await inbox.spawnLink(DebugEndpoint, { path: orphaned });
  system.exit(inbox.ref, 'shutdown');
  t.is(await exitReasonOf(system, c), 'shutdown');
  t.false(existsSync(orphaned));

  const signalled = join(dir, 'signalled.sock');
  const d = await system.spawn(DebugEndpoint, { path: signalled });
  system.exit(d, 'normal');
  t.is(await call(d, { type: 'endpoint' }), signalled, 'served after the EXIT message');
  t.true(system.isAlive(d), "an exit signal 'normal' is ignored, as by an actor that does not trap exits");
  system.exit(d, 'shutdown');
  t.is(await exitReasonOf(system, d), 'shutdown');
  t.false(existsSync(signalled));

  const shutdown = join(dir, 'shutdown.sock');
  await system.spawn(DebugEndpoint, { path: shutdown });
  await system.shutdown();
  t.false(existsSync(shutdown));
});

test('a linked actor that crashes takes the endpoint down with it (it traps exits only to clean up)', async (t) => {
  const { system } = capturingSystem();
  const path = join(tempDir(t), 'debug.sock');
  const ep = await system.spawn(DebugEndpoint, { path });
  const peer = await system.spawn(Probe, undefined);
  await call(peer, { type: 'link', ref: ep });
  system.exit(peer, 'boom');
  t.is(await exitReasonOf(system, ep), 'boom');
  t.false(existsSync(path));
  await system.shutdown();
});

test('the default endpoint: arbor-<system>-<pid>.sock in the private arbor-<uid> temp directory, found by findEndpoints', async (t) => {
  const name = `dflt${process.pid}x${Date.now() % 100000}`;
  const system = createSystem({ name, logger: createLogger('silent') });
  const ep = await system.spawn(DebugEndpoint, undefined);
  const path = defaultEndpointPath(name);
  t.is(defaultEndpointDir(), join(tmpdir(), `arbor-${process.getuid!()}`));
  t.is(path, join(defaultEndpointDir(), `arbor-${name}-${process.pid}.sock`));
  t.is(await call(ep, { type: 'endpoint' }), path);
  t.true(existsSync(path));
  t.deepEqual(
    findEndpoints().filter((e) => e.system === name),
    [{ path, system: name, pid: process.pid, stale: false }],
  );
  await system.shutdown();
  t.false(existsSync(path));
});

// ------------------------------------------------------------------ endpoints as text

test('parseEndpoint, formatEndpoint and defaultEndpointPath', (t) => {
  t.deepEqual(parseEndpoint('127.0.0.1:9229'), { host: '127.0.0.1', port: 9229 });
  t.deepEqual(parseEndpoint('localhost:9229'), { host: '127.0.0.1', port: 9229 });
  t.deepEqual(parseEndpoint('/tmp/a.sock'), { path: '/tmp/a.sock' });
  t.deepEqual(parseEndpoint('app.sock'), { path: 'app.sock' });
  for (const bad of ['', '  ', '0.0.0.0:80', 'example.com:80', '127.0.0.1:', '127.0.0.1:0', '127.0.0.1:99999', 42]) {
    t.throws(() => parseEndpoint(bad as string), { instanceOf: InvalidEndpointError }, String(bad));
  }
  t.is(formatEndpoint({ host: '127.0.0.1', port: 1 }), '127.0.0.1:1');
  t.is(formatEndpoint({ path: '/x.sock' }), '/x.sock');
  t.is(defaultEndpointPath('my app/v2', 7, '/run'), '/run/arbor-my_app_v2-7.sock');
  t.is(defaultEndpointPath('', 7, '/run'), '/run/arbor-arbor-7.sock');
});

test('findEndpoints lists default-named sockets only, and flags those of dead processes', async (t) => {
  const dir = tempDir(t);
  const live = join(dir, `arbor-live-${process.pid}.sock`);
  const { server } = await fakeServer(t, live, () => {});
  t.true(server.listening);
  const gone = await deadPid();
  const stale = join(dir, `arbor-gone-${gone}.sock`);
  await leaveStaleSocket(stale);
  writeFileSync(join(dir, 'arbor-file-1.sock'), 'not a socket');
  writeFileSync(join(dir, 'other.sock'), '');
  t.deepEqual(findEndpoints(dir), [
    { path: stale, system: 'gone', pid: gone, stale: true },
    { path: live, system: 'live', pid: process.pid, stale: false },
  ]);
  t.deepEqual(findEndpoints(join(dir, 'missing')), []);
});

// ------------------------------------------------------------------ fetchDump errors

test('fetchDump: no such socket', async (t) => {
  const path = join(tempDir(t), 'missing.sock');
  const e = await t.throwsAsync(fetchDump(path), { instanceOf: EndpointUnreachableError });
  t.is(e.code, 'endpoint_unreachable');
  t.is(e.errno, 'ENOENT');
  t.is(e.endpoint, path);
  t.regex(e.message, /^no debug endpoint at .*missing\.sock \(no such socket\); start a DebugEndpoint .* --endpoint or ARBOR_ENDPOINT/);
});

test('fetchDump: connection refused on a closed port', async (t) => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const e = await t.throwsAsync(fetchDump(`127.0.0.1:${port}`), { instanceOf: EndpointUnreachableError });
  t.is(e.errno, 'ECONNREFUSED');
  t.regex(e.message, /connection refused: nothing listens there/);
});

test('fetchDump: timeout when nothing answers, and the connection is closed', async (t) => {
  const path = join(tempDir(t), 'silent.sock');
  const { server } = await fakeServer(t, path, () => {});
  const e = await t.throwsAsync(fetchDump(path, { timeout: 50 }), { instanceOf: DumpTimeoutError });
  t.is(e.code, 'dump_timeout');
  t.regex(e.message, /sent no dump within 50 ms; .* retry with a longer timeout/);
  t.true(await allClosed(server));
});

test('fetchDump: malformed answers', async (t) => {
  const dir = tempDir(t);
  const answers: [string, RegExp][] = [
    ['hello\n', /the answer is not JSON/],
    ['42\n', /the answer is not an object/],
    ['{"ok":false,"error":{"code":"unknown_op","message":"unknown op"}}\n', /the endpoint answered an error: unknown op/],
    ['{"ok":true,"dump":{"version":2}}\n', /dump version 2, expected 1/],
    ['{"ok":true,"dump":{"version":1,"system":"s","pid":1,"actors":1,"takenAt":"x","roots":[{"id":1}]}}\n', /a node without an id/],
    ['{"ok":true,"dump":{"version":1,"system":"s","pid":1,"actors":1,"takenAt":"x","roots":[{"id":"a","status":"happy","names":[],"children":[]}]}}\n', /status "happy"/],
    ['{"ok":true', /closed before a full answer/],
  ];
  for (const [i, [answer, detail]] of answers.entries()) {
    const path = join(dir, `m${i}.sock`);
    const { server } = await fakeServer(t, path, (s) => s.end(answer));
    const e = await t.throwsAsync(fetchDump(path), { instanceOf: MalformedDumpError }, answer);
    t.regex(e.message, detail);
    t.regex(e.message, /did not answer with an Arbor dump .*same Arbor version/);
    t.true(await allClosed(server));
  }
});

test('fetchDump: a valid answer from any server that speaks the protocol', async (t) => {
  const d: Dump = { version: 1, system: 's', pid: 1, takenAt: 'now', actors: 0, roots: [] };
  const { endpoint } = await fakeServer(t, 0, (s) => s.once('data', () => s.end(`${JSON.stringify({ ok: true, dump: d })}\n`)));
  t.deepEqual(await fetchDump(endpoint), d);
  t.deepEqual(await fetchDump(parseEndpoint(endpoint)), d);
});

test('fetchDump: bad endpoint text and bad options reject without connecting', async (t) => {
  await t.throwsAsync(fetchDump('0.0.0.0:9000'), { instanceOf: InvalidEndpointError, message: /endpoint must be a Unix socket path or 127.0.0.1:<port> \(as text, or \{ path \} or \{ host: '127.0.0.1', port \}\), got: "0.0.0.0:9000"/ });
  await t.throwsAsync(fetchDump({ host: '10.0.0.1', port: 80 } as never), { instanceOf: InvalidEndpointError });
  await t.throwsAsync(fetchDump('/tmp/x.sock', { timeout: -1 }), { instanceOf: InvalidOptionError });
});
