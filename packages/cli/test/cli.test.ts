/**
 * The `arbor` command as a real child process, against a DebugEndpoint served by this
 * test process: the tree and JSON forms, endpoint discovery, and the errors (exit code 2,
 * one line on stderr, no stack trace).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { call, createLogger, createSystem, describeSupervisor, GenServer, type ActorRef, type ActorSystem, type Dump, type SupervisorInfo } from '@arbor/core';
import { DebugEndpoint, defaultEndpointDir, parseEndpoint, tokenFilePath } from '@arbor/debug';

const BIN = fileURLToPath(new URL('../src/bin.js', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/src/bin.js ...args` without blocking this process (which serves the endpoint). */
function arbor(args: readonly string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env['PATH'], ...env }, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'arbor-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A TMPDIR for the child, and its private endpoint directory (`<tmp>/arbor-<uid>`, 0700) where default-named sockets go. */
function privateDir(t: { teardown(fn: () => void): void }): { tmp: string; dir: string } {
  const tmp = tempDir(t);
  const dir = defaultEndpointDir(tmp);
  mkdirSync(dir, { mode: 0o700 });
  return { tmp, dir };
}

// ------------------------------------------------------------------ a small application

class Worker extends GenServer<{}, undefined> {}

/** Reports two workers it spawnLinks and a third child that is stopped. */
class Shop extends GenServer<{}, ActorRef[]> {
  override async init(): Promise<void> {
    this.state = [await this.spawnLink(Worker, undefined, { name: 'orders' }), await this.spawnLink(Worker, undefined)];
  }
  [describeSupervisor](): SupervisorInfo {
    const child = (id: string, ref: ActorRef | undefined, restarts: number, lastExitReason: unknown) =>
      ({ id, ref, status: ref === undefined ? 'stopped' : 'running', type: 'worker', restart: 'transient', restarts, lastExitReason }) as const;
    return {
      strategy: 'one_for_one',
      intensity: 3,
      period: 5,
      children: [child('orders', this.state[0], 2, new Error('lost the db')), child('mailer', this.state[1], 0, undefined), child('report', undefined, 0, 'normal')],
    };
  }
}

async function application(t: { teardown(fn: () => Promise<void>): void }, name: string, options: { path?: string; port?: number; token?: string }): Promise<{ system: ActorSystem; endpoint: string }> {
  const system = createSystem({ name, logger: createLogger('silent') });
  t.teardown(() => system.shutdown());
  await system.spawn(Shop, undefined, { name: 'shop' });
  const ep = await system.spawn(DebugEndpoint, options);
  return { system, endpoint: await call(ep, { type: 'endpoint' }) };
}

/** The tree lines with ids and the header's pid and time made stable. */
function stable(text: string): string[] {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => l.replace(/#[\w-]+/g, '#ID').replace(/pid \d+/, 'pid N').replace(/taken \S+$/, 'taken T').replace(/builds=\d+/, 'builds=N'));
}

const TREE = [
  'system "shop", pid N, 4 actors, taken T',
  '├── shop: Shop #ID waiting, one_for_one, mailbox 0',
  '│   ├── orders: Worker #ID waiting, restarts 2, mailbox 0, last exit: Error: lost the db',
  '│   ├── mailer: Worker #ID waiting, restarts 0, mailbox 0',
  '│   └── report: (no actor) dead, restarts 0, last exit: normal',
  '└── DebugEndpoint #ID running connections=1 queued=1 waiting=0 builds=N, mailbox 0',
];

// ------------------------------------------------------------------ dump

test('arbor dump --endpoint <socket> prints the tree', async (t) => {
  const { endpoint } = await application(t, 'shop', { path: join(tempDir(t), 'shop.sock') });
  const r = await arbor(['dump', '--endpoint', endpoint]);
  t.is(r.stderr, '');
  t.is(r.code, 0);
  t.deepEqual(stable(r.stdout), TREE);
});

test('arbor dump --json prints the dump as one line of JSON', async (t) => {
  const { system, endpoint } = await application(t, 'shop', { path: join(tempDir(t), 'shop.sock') });
  const r = await arbor(['dump', '--json', '--endpoint', endpoint]);
  t.is(r.code, 0);
  t.is(r.stdout.trimEnd().split('\n').length, 1);
  const d = JSON.parse(r.stdout) as Dump;
  t.like(d, { version: 1, system: 'shop', pid: process.pid, actors: 4 });
  t.deepEqual(
    d.roots.map((n) => n.id),
    system.actors().filter((a) => system.getStatus(a).parent === undefined).map((a) => a.id),
  );
  const shop = d.roots[0]!;
  t.like(shop, { names: ['shop'], behaviour: 'Shop', kind: 'supervisor', strategy: 'one_for_one' });
  t.deepEqual(
    shop.children.map((n) => [n.childId, n.status, n.restarts, n.lastExit]),
    [
      ['orders', 'waiting', 2, 'Error: lost the db'],
      ['mailer', 'waiting', 0, null],
      ['report', 'dead', 0, 'normal'],
    ],
  );
});

test('arbor dump over TCP on 127.0.0.1, and from ARBOR_ENDPOINT', async (t) => {
  const { endpoint } = await application(t, 'shop', { port: 0 });
  t.regex(endpoint, /^127\.0\.0\.1:\d+$/);
  const flag = await arbor(['dump', '--endpoint', endpoint]);
  t.is(flag.code, 0);
  t.deepEqual(stable(flag.stdout), TREE);
  const env = await arbor(['dump'], { ARBOR_ENDPOINT: endpoint });
  t.is(env.code, 0);
  t.deepEqual(stable(env.stdout), TREE);
});

test('without an endpoint, arbor dump uses the only live default-named socket in $TMPDIR/arbor-<uid>', async (t) => {
  const { tmp, dir } = privateDir(t);
  await application(t, 'shop', { path: join(dir, `arbor-shop-${process.pid}.sock`) });
  // A socket left by a process that exited is ignored.
  await new Promise<void>((resolve, reject) => {
    const stale = join(dir, 'arbor-old-999999999.sock');
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.exit(0))`]);
    child.on('error', reject);
    child.on('close', () => resolve());
  });
  const r = await arbor(['dump'], { TMPDIR: tmp });
  t.is(r.stderr, '');
  t.is(r.code, 0);
  t.deepEqual(stable(r.stdout), TREE);
});

// ------------------------------------------------------------------ errors

/** Exit code 2 and exactly one line on stderr, without a stack trace. */
function assertOneLineError(t: import('ava').ExecutionContext, r: Run, message: RegExp): void {
  t.is(r.code, 2);
  t.is(r.stdout, '');
  t.is(r.stderr.split('\n').filter((l) => l !== '').length, 1, r.stderr);
  t.notRegex(r.stderr, /\n\s+at /);
  t.regex(r.stderr, message);
}

test('a wrong socket path: exit code 2 and one clear line', async (t) => {
  const missing = join(tempDir(t), 'nope.sock');
  const r = await arbor(['dump', '--endpoint', missing]);
  assertOneLineError(t, r, /^arbor: no debug endpoint at .*nope\.sock \(no such socket\); start a DebugEndpoint in the application, then pass its endpoint .* with --endpoint or ARBOR_ENDPOINT/);
});

test('a closed port, and an endpoint on another host: exit code 2', async (t) => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  assertOneLineError(t, await arbor(['dump', '--endpoint', `127.0.0.1:${port}`]), /^arbor: no debug endpoint at 127\.0\.0\.1:\d+ \(connection refused: nothing listens there\)/);
  assertOneLineError(t, await arbor(['dump', '--endpoint', '0.0.0.0:9000']), /^arbor: endpoint must be a Unix socket path or 127\.0\.0\.1:<port> \(as text, .*\), got: "0\.0\.0\.0:9000"/);
});

test('an endpoint that never answers: exit code 2 after --timeout', async (t) => {
  const path = join(tempDir(t), 'mute.sock');
  const server = createServer((s) => s.resume());
  await new Promise<void>((r) => server.listen(path, r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  assertOneLineError(t, await arbor(['dump', '--endpoint', path, '--timeout', '100']), /^arbor: .*mute\.sock sent no dump within 100 ms/);
});

test('no default-named socket: exit code 2 saying what to pass', async (t) => {
  const { tmp } = privateDir(t);
  const r = await arbor(['dump'], { TMPDIR: tmp });
  assertOneLineError(t, r, /^arbor: no Arbor debug endpoint found in .* \(looked for arbor-<system>-<pid>\.sock\); add a DebugEndpoint to the application, or pass --endpoint <path\|127\.0\.0\.1:port> or set ARBOR_ENDPOINT$/m);
});

test('several default-named sockets: exit code 2 listing the --endpoint to pass for each', async (t) => {
  const { tmp, dir } = privateDir(t);
  const a = join(dir, `arbor-a-${process.pid}.sock`);
  const b = join(dir, `arbor-b-${process.pid}.sock`);
  await application(t, 'a', { path: a });
  await application(t, 'b', { path: b });
  const r = await arbor(['dump'], { TMPDIR: tmp });
  t.is(r.code, 2);
  t.deepEqual(r.stderr.trimEnd().split('\n'), [
    `arbor: 2 Arbor debug endpoints found in ${dir}; pick one with --endpoint (or ARBOR_ENDPOINT):`,
    `  --endpoint ${a}   (system a, pid ${process.pid})`,
    `  --endpoint ${b}   (system b, pid ${process.pid})`,
  ]);
});

test('TCP: the token is read from the file the endpoint wrote, or taken from --token / ARBOR_TOKEN; a wrong one is exit code 2 saying how to pass it', async (t) => {
  const { endpoint } = await application(t, 'shop', { port: 0 });
  const token = readFileSync(tokenFilePath((parseEndpoint(endpoint) as { port: number }).port), 'utf8').trim();
  const fromFile = await arbor(['dump', '--endpoint', endpoint], { TMPDIR: tmpdir() }); // the same TMPDIR, so it finds the file
  t.is(fromFile.code, 0, fromFile.stderr);
  const given = await application(t, 'shop', { port: 0, token: 'a-token-the-app-passed' });
  const flag = await arbor(['dump', '--endpoint', given.endpoint, '--token', 'a-token-the-app-passed']);
  t.is(flag.code, 0, flag.stderr);
  t.deepEqual(stable(flag.stdout), TREE);
  const env = await arbor(['dump', '--endpoint', given.endpoint], { ARBOR_TOKEN: 'a-token-the-app-passed' });
  t.is(env.code, 0, env.stderr);
  assertOneLineError(t, await arbor(['dump', '--endpoint', given.endpoint]), /^arbor: 127\.0\.0\.1:\d+ refused the request: no token was sent; pass the endpoint's token \(fetchDump option \{ token \}, arbor dump --token, or ARBOR_TOKEN\)/);
  assertOneLineError(t, await arbor(['dump', '--endpoint', endpoint, '--token', `${token}x`]), /^arbor: 127\.0\.0\.1:\d+ refused the request: the token is wrong/);
});

test('TCP: --token-file reads the token from a file, or from standard input with -, so it is not in the process list; a bad one is exit code 2', async (t) => {
  const given = await application(t, 'shop', { port: 0, token: 'a-token-the-app-passed' });
  const dir = tempDir(t);
  const file = join(dir, 'token');
  writeFileSync(file, 'a-token-the-app-passed\n', { mode: 0o600 });
  const fromFile = await arbor(['dump', '--endpoint', given.endpoint, '--token-file', file]);
  t.is(fromFile.code, 0, fromFile.stderr);
  t.deepEqual(stable(fromFile.stdout), TREE);
  const fromStdin = await arbor(['dump', '--endpoint', given.endpoint, '--token-file', '-'], {}, 'a-token-the-app-passed\n');
  t.is(fromStdin.code, 0, fromStdin.stderr);
  t.deepEqual(stable(fromStdin.stdout), TREE);
  assertOneLineError(t, await arbor(['dump', '--endpoint', given.endpoint, '--token-file', join(dir, 'missing')]), /^arbor: cannot read --token-file ".*missing": ENOENT; pass a file that holds the endpoint's token; run `arbor --help`/);
  assertOneLineError(t, await arbor(['dump', '--endpoint', given.endpoint, '--token-file', '-'], {}, ''), /^arbor: standard input \(--token-file -\) holds no token/);
  assertOneLineError(t, await arbor(['dump', '--endpoint', given.endpoint, '--token-file', file, '--token', 'x']), /^arbor: give --token or --token-file, not both/);
  writeFileSync(file, 'not-the-token\n');
  assertOneLineError(t, await arbor(['dump', '--endpoint', given.endpoint, '--token-file', file]), /^arbor: 127\.0\.0\.1:\d+ refused the request: the token is wrong/);
});

test('a socket over its connection cap: exit code 2 naming the limit', async (t) => {
  const path = join(tempDir(t), 'cap.sock');
  const { system } = await application(t, 'cap', { path: join(tempDir(t), 'free.sock') });
  const ep = await system.spawn(DebugEndpoint, { path, maxConnections: 1 });
  const { connect } = await import('node:net');
  const held = connect(path);
  t.teardown(() => void held.destroy());
  await new Promise<void>((r) => held.once('connect', () => r()));
  for (let i = 0; i < 2000 && (system.getStatus(ep).details as { connections?: number } | undefined)?.connections !== 1; i++) await new Promise((r) => setTimeout(r, 5));
  t.is((system.getStatus(ep).details as { connections: number }).connections, 1, 'the endpoint holds the first connection');
  assertOneLineError(t, await arbor(['dump', '--endpoint', path]), /^arbor: .*cap\.sock refused the request \(too_many_connections: this endpoint serves at most 1 connections at once/);
});

test('usage: --help, no command, unknown command or option, bad --timeout', async (t) => {
  const help = await arbor(['--help']);
  t.is(help.code, 0);
  t.regex(help.stdout, /^Usage: arbor <command> \[options\]/);
  t.regex(help.stdout, /--endpoint <e>/);
  t.is((await arbor(['help'])).stdout, help.stdout);

  const none = await arbor([]);
  t.is(none.code, 2);
  t.is(none.stderr, help.stdout);

  assertOneLineError(t, await arbor(['dumpp']), /^arbor: unknown command "dumpp"; run `arbor --help` for the usage\n$/);
  assertOneLineError(t, await arbor(['dump', '--jsn']), /^arbor: Unknown option '--jsn'; run `arbor --help` for the usage\n$/);
  assertOneLineError(t, await arbor(['dump', '--timeout', 'soon']), /^arbor: --timeout must be a whole number of milliseconds >= 1, got "soon"/);
  assertOneLineError(t, await arbor(['dump', 'extra']), /^arbor: dump takes no arguments, got "extra"/);
  assertOneLineError(t, await arbor(['dump', '--timeout', '0']), /^arbor: --timeout must be a whole number of milliseconds >= 1, got "0"/);
  assertOneLineError(t, await arbor(['dump', '--timeout']), /^arbor: Option '--timeout <value>' argument missing; run `arbor --help`/);
  assertOneLineError(t, await arbor(['dump', '--json=yes']), /^arbor: Option '--json' does not take an argument; run `arbor --help`/);
  assertOneLineError(t, await arbor(['dump', '--endpoint', '']), /^arbor: --endpoint must be a socket path or 127\.0\.0\.1:<port>, got ""; run `arbor --help`/);
  assertOneLineError(t, await arbor(['dump', '--endpoint', '/tmp/x.sock', '--token', '']), /^arbor: --token must be the TCP endpoint's token, got ""; run `arbor --help`/);
});
