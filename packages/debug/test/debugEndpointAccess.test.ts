/**
 * Who may read a DebugEndpoint: the Unix socket is 0600 (in a 0700 directory for the
 * default path) whatever the umask, a TCP endpoint serves only requests with its token,
 * and another OS user gets neither (when this test can create one).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { call, createLogger, createSystem, InitError, InvalidOptionError } from '@arbor/core';
import { DebugEndpoint, defaultEndpointDir, EndpointDirectoryError, EndpointTokenError, fetchDump, parseEndpoint, tokenFilePath } from '../src/index.js';
import { capturingSystem } from './support/helpers.js';

const INDEX = fileURLToPath(new URL('../src/index.js', import.meta.url));
const CORE = import.meta.resolve('@arbor/core');
const spawned: number[] = [];

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'arbor-a-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function modeOf(path: string): number {
  return lstatSync(path).mode & 0o777;
}

/** Sends one raw line and collects what comes back until the endpoint closes the connection. */
function exchange(endpoint: string, line: string): Promise<string[]> {
  const address = parseEndpoint(endpoint);
  return new Promise((resolve, reject) => {
    const s = 'path' in address ? connect(address.path) : connect(address.port, address.host);
    let buf = '';
    s.on('connect', () => s.end(`${line}\n`)); // half-close: the endpoint answers, then ends
    s.on('data', (c) => (buf += c.toString('utf8')));
    s.on('error', reject);
    s.on('close', () => resolve(buf.split('\n').filter((l) => l !== '')));
  });
}

/**
 * An application in a child process started under `umask 000`: a socket endpoint at
 * `path`, one at the default path (TMPDIR=`tmp`), and a TCP one. Resolves with their
 * endpoints once they listen; the child stops when its stdin closes.
 */
function umask000App(path: string, tmp: string): Promise<{ child: ChildProcess; endpoints: { custom: string; dflt: string; tcp: string } }> {
  const script = `
    const { createSystem, createLogger, call } = await import(${JSON.stringify(CORE)});
    const { DebugEndpoint } = await import(${JSON.stringify(INDEX)});
    const system = createSystem({ name: 'umask', logger: createLogger('silent') });
    const custom = await call(await system.spawn(DebugEndpoint, { path: ${JSON.stringify(path)} }), { type: 'endpoint' });
    const dflt = await call(await system.spawn(DebugEndpoint, undefined), { type: 'endpoint' });
    const tcp = await call(await system.spawn(DebugEndpoint, { port: 0 }), { type: 'endpoint' });
    process.stdout.write(JSON.stringify({ umask: process.umask(), custom, dflt, tcp }) + '\\n');
    process.stdin.resume();
    process.stdin.on('end', async () => { await system.shutdown(); process.exit(0); });
  `;
  const child = spawn('sh', ['-c', 'umask 000; exec "$0" --input-type=module -e "$1"', process.execPath, script], {
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  spawned.push(child.pid!);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      if (!out.includes('\n')) return;
      const parsed = JSON.parse(out) as { umask: number; custom: string; dflt: string; tcp: string };
      if (parsed.umask !== 0) reject(new Error(`the child runs with umask ${parsed.umask.toString(8)}, not 000`));
      resolve({ child, endpoints: parsed });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the application exited with ${code} before listening`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------ mode bits

test('under umask 000 the socket is 0600, the default directory 0700 and the token file 0600', async (t) => {
  const dir = tempDir(t);
  const tmp = tempDir(t);
  const { child, endpoints } = await umask000App(join(dir, 'debug.sock'), tmp);
  try {
    t.is(modeOf(endpoints.custom), 0o600, 'a socket at a path the application chose');
    t.true(lstatSync(endpoints.custom).isSocket());
    t.is(endpoints.dflt, join(tmp, `arbor-${process.getuid!()}`, `arbor-umask-${child.pid}.sock`));
    t.is(modeOf(endpoints.dflt), 0o600, 'the default socket');
    t.is(modeOf(join(tmp, `arbor-${process.getuid!()}`)), 0o700, 'the default directory');
    const tokenFile = tokenFilePath((parseEndpoint(endpoints.tcp) as { port: number }).port, join(tmp, `arbor-${process.getuid!()}`));
    t.is(modeOf(tokenFile), 0o600, 'the token file');
    t.regex(readFileSync(tokenFile, 'utf8'), /^[\w-]{43}\n$/);
    t.deepEqual(readdirNames(dir), ['debug.sock'], 'the private bind directory is gone');
  } finally {
    child.stdin!.end();
    t.is(await exited(child), 0);
  }
  t.false(existsSync(endpoints.custom));
  t.false(existsSync(endpoints.dflt));
});

function readdirNames(dir: string): string[] {
  return execFileSync('ls', ['-A', dir], { encoding: 'utf8' }).split('\n').filter((l) => l !== '');
}

test.serial('the default directory: one with wider bits is narrowed to 0700; a symlink or another user\'s is refused', async (t) => {
  const tmp = tempDir(t);
  const dir = join(tmp, `arbor-${process.getuid!()}`);
  t.is(defaultEndpointDir(tmp), dir);

  mkdirSync(dir);
  chmodSync(dir, 0o777);
  const run = async (): Promise<unknown> => {
    const system = createSystem({ name: 'dir', logger: createLogger('silent') });
    const previous = process.env['TMPDIR'];
    process.env['TMPDIR'] = tmp;
    try {
      const ep = await system.spawn(DebugEndpoint, undefined);
      return await call(ep, { type: 'endpoint' });
    } catch (e) {
      return e;
    } finally {
      if (previous === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = previous;
      await system.shutdown();
    }
  };
  t.is(await run(), join(dir, `arbor-dir-${process.pid}.sock`));
  t.is(modeOf(dir), 0o700);

  rmSync(dir, { recursive: true });
  symlinkSync(tmp, dir);
  const linked = await run();
  t.true(linked instanceof InitError && linked.reason instanceof EndpointDirectoryError, String(linked));
  t.regex(((linked as InitError).reason as Error).message, /is a symbolic link, so DebugEndpoint will not put its socket or token there; remove it, or pass DebugEndpoint a \{ path \}/);
  rmSync(dir);

  if (process.getuid!() === 0) {
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, 65534, 65534);
    const foreign = await run();
    t.true(foreign instanceof InitError && foreign.reason instanceof EndpointDirectoryError, String(foreign));
    t.regex(((foreign as InitError).reason as Error).message, /belongs to uid 65534, not to this process's uid 0/);
  } else {
    t.log('not root: cannot make a directory owned by another user; that case is not checked');
  }
});

// ------------------------------------------------------------------ the TCP token

test('TCP: a request without the token or with a wrong one is refused and closed; fetchDump says why with EndpointTokenError', async (t) => {
  const { system } = capturingSystem('tok');
  const ep = await system.spawn(DebugEndpoint, { port: 0 });
  const endpoint = await call(ep, { type: 'endpoint' });
  const { port } = parseEndpoint(endpoint) as { port: number };
  const file = tokenFilePath(port);
  t.is(modeOf(file), 0o600);
  const token = readFileSync(file, 'utf8').trim();

  for (const line of ['{"op":"dump"}', '{"op":"dump","token":"guess"}', `{"op":"dump","token":${JSON.stringify(`${token}x`)}}`]) {
    const answers = await exchange(endpoint, line);
    t.is(answers.length, 1, line);
    t.like(JSON.parse(answers[0]!), { ok: false, error: { code: 'unauthorized' } });
    t.notRegex(answers[0]!, new RegExp(token), 'the token is never sent to a client');
  }
  const ok = await exchange(endpoint, `{"op":"text","token":${JSON.stringify(token)}}\n{"op":"nope"}`).catch((e: unknown) => e);
  t.true(Array.isArray(ok) && JSON.parse(ok[0]).ok === true, String(ok));

  const wrong = await t.throwsAsync(fetchDump(endpoint, { token: 'not-the-token' }), { instanceOf: EndpointTokenError });
  t.is(wrong.code, 'endpoint_token');
  t.false(wrong.missing);
  t.regex(wrong.message, /refused the request: the token is wrong; pass the endpoint's token \(fetchDump option \{ token \}, arbor dump --token, or ARBOR_TOKEN\), or run as the application's user so it is read from .*arbor-tcp-\d+\.token/);
  t.is((await fetchDump(endpoint)).system, 'tok', 'found in the token file');
  if (process.getuid!() === 0) {
    chownSync(file, 65534, 65534); // as if another user had planted it: not trusted
    t.like(await fetchDump(endpoint).catch((e: unknown) => e), { code: 'endpoint_token', missing: true });
    chownSync(file, 0, 0);
  }
  t.is((await fetchDump(endpoint, { token })).system, 'tok');
  await system.shutdown();
  t.false(existsSync(file), 'the token file is removed when the endpoint stops');
});

test('TCP: a token the application passes is used and written nowhere; without it fetchDump rejects with EndpointTokenError (missing)', async (t) => {
  const { system } = capturingSystem('given');
  const token = 'a-token-of-the-app-0123456789';
  const ep = await system.spawn(DebugEndpoint, { port: 0, token });
  const endpoint = await call(ep, { type: 'endpoint' });
  const { port } = parseEndpoint(endpoint) as { port: number };
  t.false(existsSync(tokenFilePath(port)));
  const missing = await t.throwsAsync(fetchDump(endpoint), { instanceOf: EndpointTokenError });
  t.true(missing.missing);
  t.regex(missing.message, /no token was sent/);
  t.is((await fetchDump(endpoint, { token })).system, 'given');

  for (const [options, message] of [
    [{ port: 0, token: 'short' }, /options.token must be a string of at least 16 characters/],
    [{ port: 0, token: 42 }, /options.token must be a string of at least 16 characters/],
    [{ path: join(tempDir(t), 'a.sock'), token }, /options.token must be left out on a Unix socket/],
  ] as const) {
    const e = await t.throwsAsync(system.spawn(DebugEndpoint, options as never), { instanceOf: InitError });
    t.true(e.reason instanceof InvalidOptionError);
    t.regex((e.reason as Error).message, message);
  }
  await system.shutdown();
});

test.serial('TCP: fetchDump takes the token from ARBOR_TOKEN when no option is given', async (t) => {
  const { system } = capturingSystem('env');
  const token = 'the-token-in-the-environment';
  const endpoint = await call(await system.spawn(DebugEndpoint, { port: 0, token }), { type: 'endpoint' });
  process.env['ARBOR_TOKEN'] = token;
  try {
    t.is((await fetchDump(endpoint)).system, 'env');
    await t.throwsAsync(fetchDump(endpoint, { token: 'an-option-wins-over-the-env' }), { instanceOf: EndpointTokenError }, 'the option wins over the environment');
  } finally {
    delete process.env['ARBOR_TOKEN'];
  }
  await t.throwsAsync(fetchDump(endpoint), { instanceOf: EndpointTokenError });
  await system.shutdown();
});

// ------------------------------------------------------------------ another OS user

test('another OS user can reach neither the socket nor the token file, and TCP refuses it without the token', async (t) => {
  const { system } = capturingSystem('other');
  const open = tempDir(t);
  chmodSync(open, 0o755); // the directory lets anyone in: only the socket's own 0600 mode guards it
  const custom = await call(await system.spawn(DebugEndpoint, { path: join(open, 'debug.sock') }), { type: 'endpoint' });
  t.is(modeOf(custom), 0o600);
  const user = `arbt${process.pid % 100000}`;
  let why: string | undefined;
  if (process.platform !== 'linux' || process.getuid!() !== 0) why = `needs root on Linux to create a user (uid ${process.getuid?.()}, ${process.platform})`;
  else {
    try {
      execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', user], { stdio: 'pipe' });
    } catch (e) {
      why = `useradd failed (${String(e).split('\n')[0]})`;
    }
  }
  if (why !== undefined) {
    t.log(`skipped the second-user part: ${why}; only the mode bits are asserted`);
    await system.shutdown();
    return;
  }
  t.teardown(() => void execFileSync('userdel', [user], { stdio: 'pipe' }));
  const dflt = await call(await system.spawn(DebugEndpoint, undefined), { type: 'endpoint' });
  const tcp = await call(await system.spawn(DebugEndpoint, { port: 0 }), { type: 'endpoint' });
  const tokenFile = tokenFilePath((parseEndpoint(tcp) as { port: number }).port);

  const probe = `
    const net = require('net'), fs = require('fs');
    const out = {};
    const tryConnect = (key, target) => new Promise((resolve) => {
      const s = typeof target === 'string' ? net.connect(target) : net.connect(target.port, '127.0.0.1');
      let buf = '';
      s.on('connect', () => s.write('{"op":"dump"}\\n'));
      s.on('data', (c) => (buf += c));
      s.on('error', (e) => { out[key] = e.code; resolve(); });
      s.on('close', () => { out[key] ??= buf.trim(); resolve(); });
    });
    try { fs.readFileSync(${JSON.stringify(tokenFile)}); out.tokenFile = 'read'; } catch (e) { out.tokenFile = e.code; }
    (async () => {
      await tryConnect('custom', ${JSON.stringify(custom)});
      await tryConnect('dflt', ${JSON.stringify(dflt)});
      await tryConnect('tcp', { port: ${(parseEndpoint(tcp) as { port: number }).port} });
      process.stdout.write(JSON.stringify(out));
    })();
  `;
  const child = spawn('runuser', ['-u', user, '--', process.execPath, '-e', probe], { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
  spawned.push(child.pid!);
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  t.is(await exited(child), 0, err);
  const seen = JSON.parse(out) as Record<string, string>;
  t.is(seen['tokenFile'], 'EACCES');
  t.is(seen['custom'], 'EACCES', 'the 0600 socket');
  t.is(seen['dflt'], 'EACCES', 'the socket in the 0700 directory');
  t.like(JSON.parse(seen['tcp']!), { ok: false, error: { code: 'unauthorized' } });
  t.is((await fetchDump(custom)).system, 'other', 'the owner still reads it');
  await system.shutdown();
});

test.after.always('every process this file started is gone', async (t) => {
  for (let i = 0; i < 200 && spawned.some(alive); i++) await new Promise((r) => setTimeout(r, 10));
  t.deepEqual(spawned.filter(alive), []);
});
