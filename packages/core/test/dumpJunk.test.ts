/**
 * Junk at every export of the dump module (issue 11 §3): each call is refused with a
 * typed ArborError whose one-line message names what was wrong and what to pass.
 */
import test from 'ava';
import {
  ArborError,
  createLogger,
  createSystem,
  DebugEndpoint,
  defaultEndpointDir,
  defaultEndpointPath,
  dump,
  fetchDump,
  findEndpoints,
  formatEndpoint,
  InitError,
  InvalidEndpointError,
  InvalidOptionError,
  parseEndpoint,
  renderDump,
  tokenFilePath,
  type Dump,
} from '../src/index.js';

type ErrorClass = abstract new (...args: never[]) => ArborError;

/** Asserts that `run` throws (or rejects with) a typed error of `kind`, with `code`, and a message matching `message`. */
async function refused(t: import('ava').ExecutionContext, label: string, run: () => unknown, kind: ErrorClass, code: string, message: RegExp): Promise<void> {
  let error: unknown;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  t.true(error instanceof kind, `${label}: ${String(error)}`);
  t.is((error as ArborError | undefined)?.code, code, label);
  t.regex((error as Error | undefined)?.message ?? '', message, label);
  t.false(((error as Error | undefined)?.message ?? '').includes('\n'), `${label}: one line`);
}

const okDump = (): Dump => ({ version: 1, system: 's', pid: 1, takenAt: 'now', actors: 0, roots: [] });

test('dump(junk) and dump(system, junk) throw InvalidOptionError saying what to pass', async (t) => {
  const system = createSystem({ name: 'junk', logger: createLogger('silent') });
  for (const junk of [undefined, null, 5, 'sys', {}, { actors: () => [] }]) {
    await refused(t, `dump(${String(junk)})`, () => dump(junk as never), InvalidOptionError, 'invalid_option', /^system must be an ActorSystem \(from createSystem\); call dump\(system\) or dump\(system, \{ maxDepth \}\), got: /);
  }
  await refused(t, 'dump(system, 5)', () => dump(system, 5 as never), InvalidOptionError, 'invalid_option', /^options must be an object or undefined, got: 5 \(number\)/);
  await refused(t, 'maxDepth -1', () => dump(system, { maxDepth: -1 }), InvalidOptionError, 'invalid_option', /^options.maxDepth must be an integer >= 0/);
  await system.shutdown();
});

test('renderDump(junk) throws InvalidOptionError naming what is wrong with the dump', async (t) => {
  const cyclic = { ...okDump(), roots: [] as unknown[] };
  const node: Record<string, unknown> = { id: 'a', names: [], status: 'waiting', behaviour: 'B', strategy: null, childId: null, lastExit: null, children: [] };
  (node['children'] as unknown[]).push(node);
  cyclic.roots.push(node);
  const cases: [string, unknown, RegExp][] = [
    ['undefined', undefined, /no dump object/],
    ['5', 5, /no dump object/],
    ['{}', {}, /dump version undefined, expected 1/],
    ['no roots', { ...okDump(), roots: 5 }, /dump without roots/],
    ['a cycle', cyclic, /a node appears twice \(the tree has a cycle\)/],
    ['a number name', { ...okDump(), roots: [{ ...node, children: [], names: [5] }] }, /a node with a name that is not a string/],
    ['a number behaviour', { ...okDump(), roots: [{ ...node, children: [], behaviour: 5 }] }, /a node whose behaviour is not a string or null/],
  ];
  for (const [label, value, detail] of cases) {
    await refused(t, label, () => renderDump(value as Dump), InvalidOptionError, 'invalid_option', /^dump must be a Dump as dump\(system\) or fetchDump returns it \(.*\); call renderDump\(dump\(system\)\), got: /);
    await refused(t, label, () => renderDump(value as Dump), InvalidOptionError, 'invalid_option', detail);
  }
  t.is(renderDump(okDump()), 'system "s", pid 1, 0 actors, taken now\n(no live actors)');
});

test('fetchDump with a junk endpoint or junk options rejects with a typed error, without connecting', async (t) => {
  const endpointHint = /^endpoint must be a Unix socket path or 127\.0\.0\.1:<port> \(as text, or \{ path \} or \{ host: '127\.0\.0\.1', port \}\), got: /;
  for (const junk of [{ endpoint: 5 }, 5, null, undefined, {}, { path: 5 }, { path: '' }, { host: '127.0.0.1', port: '80' }, { host: '10.0.0.1', port: 80 }, '']) {
    await refused(t, `fetchDump(${JSON.stringify(junk)})`, () => fetchDump(junk as never), InvalidEndpointError, 'invalid_endpoint', endpointHint);
  }
  const p = fetchDump({ endpoint: 5 } as never);
  t.true(p instanceof Promise, 'a rejected promise, not a sync throw');
  await p.catch(() => {});
  await refused(t, 'options 5', () => fetchDump('/tmp/x.sock', 5 as never), InvalidOptionError, 'invalid_option', /^options must be an object \{ timeout, token \} or undefined, got: 5/);
  await refused(t, 'options null', () => fetchDump('/tmp/x.sock', null as never), InvalidOptionError, 'invalid_option', /^options must be an object/);
  await refused(t, 'timeout', () => fetchDump('/tmp/x.sock', { timeout: 'soon' as never }), InvalidOptionError, 'invalid_option', /^options.timeout must be a number of milliseconds from 0 to 2147483647/);
  for (const token of [5, '', null]) {
    await refused(t, `token ${String(token)}`, () => fetchDump('127.0.0.1:9', { token: token as never }), InvalidOptionError, 'invalid_option', /^options.token must be a non-empty string \(the TCP endpoint's token\)/);
  }
});

test('parseEndpoint, formatEndpoint, defaultEndpointDir, defaultEndpointPath, tokenFilePath and findEndpoints refuse junk with typed errors', async (t) => {
  for (const junk of [5, null, undefined, {}, [], '']) {
    await refused(t, `parseEndpoint(${JSON.stringify(junk)})`, () => parseEndpoint(junk as never), InvalidEndpointError, 'invalid_endpoint', /^endpoint must be a Unix socket path/);
  }
  for (const junk of [5, null, undefined, 'x', {}, { path: 5 }, { host: 5, port: 1 }, { host: '127.0.0.1' }]) {
    await refused(t, `formatEndpoint(${JSON.stringify(junk)})`, () => formatEndpoint(junk as never), InvalidEndpointError, 'invalid_endpoint', /^endpoint must be a Unix socket path/);
  }
  await refused(t, 'defaultEndpointDir(5)', () => defaultEndpointDir(5 as never), InvalidOptionError, 'invalid_option', /^base must be a directory path \(default: the temp directory\), got: 5/);
  await refused(t, 'defaultEndpointPath(5)', () => defaultEndpointPath(5 as never), InvalidOptionError, 'invalid_option', /^systemName must be a string \(the system name\), got: 5/);
  await refused(t, 'defaultEndpointPath pid', () => defaultEndpointPath('s', -1), InvalidOptionError, 'invalid_option', /^pid must be an integer >= 0 \(a process id\), got: -1/);
  await refused(t, 'defaultEndpointPath dir', () => defaultEndpointPath('s', 1, 5 as never), InvalidOptionError, 'invalid_option', /^dir must be a non-empty directory path, got: 5/);
  for (const port of [0, 70000, 1.5, '80', undefined]) {
    await refused(t, `tokenFilePath(${String(port)})`, () => tokenFilePath(port as never), InvalidOptionError, 'invalid_option', /^port must be an integer from 1 to 65535/);
  }
  for (const dir of [5, null, '']) {
    await refused(t, `findEndpoints(${String(dir)})`, () => findEndpoints(dir as never), InvalidOptionError, 'invalid_option', /^dir must be a non-empty directory path/);
  }
});

test('DebugEndpoint with junk limits fails its start with InitError, reason InvalidOptionError naming the option', async (t) => {
  const system = createSystem({ name: 'junkep', logger: createLogger('silent') });
  const cases: [object, RegExp][] = [
    [{ maxConnections: 0 }, /^options.maxConnections must be an integer >= 1 \(default 32\), got: 0/],
    [{ maxConnections: '32' }, /^options.maxConnections must be an integer >= 1/],
    [{ maxRequestBytes: 1.5 }, /^options.maxRequestBytes must be an integer >= 1 \(default 65536\)/],
    [{ idleTimeout: -1 }, /^options.idleTimeout must be an integer of milliseconds from 1 to 2147483647, or Infinity \(default 30000\)/],
    [{ idleTimeout: 2 ** 31 }, /^options.idleTimeout must be/],
    [{ path: 5 }, /^options.path must be a non-empty string/],
  ];
  for (const [options, message] of cases) {
    const e = await t.throwsAsync(system.spawn(DebugEndpoint, options as never), { instanceOf: InitError });
    t.true(e.reason instanceof InvalidOptionError, JSON.stringify(options));
    t.regex((e.reason as Error).message, message);
  }
  t.is(system.size, 0);
  await system.shutdown();
});
