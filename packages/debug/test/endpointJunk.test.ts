/**
 * Junk at every export of the debug endpoint (issue 11 §3): each call is refused with a
 * typed ArborError whose one-line message names what was wrong and what to pass.
 */
import test from 'ava';
import { ArborError, createLogger, createSystem, InitError, InvalidOptionError } from '@arbor/core';
import { DebugEndpoint, defaultEndpointDir, defaultEndpointPath, fetchDump, findEndpoints, formatEndpoint, InvalidEndpointError, parseEndpoint, tokenFilePath } from '../src/index.js';

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
    [{ idleTimeout: -1 }, /^options.idleTimeout must be an integer number of milliseconds from 1 to 2147483647, or Infinity to wait forever \(default 30000\)/],
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
