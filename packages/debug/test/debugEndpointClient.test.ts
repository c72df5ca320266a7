/**
 * The endpoint's client: `DebugEndpoint.start`, `DebugEndpoint.childSpec` (the same as
 * `childSpec(DebugEndpoint, options)`) and `DebugEndpoint.endpoint`, on real sockets.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { childSpec, InvalidOptionError, Supervisor, type ChildSpec } from '@arbor/core';
import { DebugEndpoint, fetchDump, type DebugEndpointProtocol } from '../src/index.js';
import { capturingSystem } from './support/helpers.js';

/** A fresh short temp directory (Unix socket paths are limited to about 100 bytes). */
function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'arbor-t-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('DebugEndpoint.start listens and resolves with the ref; DebugEndpoint.endpoint answers where; the dump is served there', async (t) => {
  const { system } = capturingSystem('client');
  const path = join(tempDir(t), 'e.sock');
  const debug = await DebugEndpoint.start(system, { path });
  t.is(await DebugEndpoint.endpoint(debug), path);
  const dump = await fetchDump(path);
  t.is(dump.system, 'client');
  t.true(dump.roots.some((n) => n.id === debug.id));
  await system.stop(debug);
  t.false(existsSync(path), 'the socket file is removed when the endpoint stops');
  await system.shutdown();
});

test('DebugEndpoint.start checks its system', async (t) => {
  await t.throwsAsync(DebugEndpoint.start({} as never), { instanceOf: InvalidOptionError, message: /DebugEndpoint\.start: system/ });
});

test('DebugEndpoint.childSpec is what childSpec(DebugEndpoint, options) gives, and runs under a supervisor', async (t) => {
  const path = join(tempDir(t), 'e.sock');
  t.deepEqual(DebugEndpoint.childSpec({ path }), { id: 'DebugEndpoint', start: { behaviour: DebugEndpoint, arg: { path } } });
  t.deepEqual(childSpec(DebugEndpoint, { path }), DebugEndpoint.childSpec({ path }));
  const named = DebugEndpoint.childSpec({ path }, { id: 'debug', options: { name: 'debug' } });
  t.deepEqual(named, { id: 'debug', start: { behaviour: DebugEndpoint, arg: { path }, options: { name: 'debug' } } });
  t.deepEqual(childSpec(DebugEndpoint, { path }, { id: 'debug', options: { name: 'debug' } }), named);

  const { system } = capturingSystem('tree');
  await Supervisor.start(system, { strategy: 'one_for_one', children: [named] });
  const debug = system.whereis<DebugEndpointProtocol>('debug')!;
  t.is(await DebugEndpoint.endpoint(debug), path);
  t.is((await fetchDump(path)).system, 'tree');
  await system.shutdown();
  t.false(existsSync(path), 'the socket file is removed when the tree stops');
});

// Type tests: the options and the overrides are checked.
function compileOnly(): ChildSpec<DebugEndpoint>[] {
  return [
    // @ts-expect-error port is a number
    DebugEndpoint.childSpec({ port: '9900' }),
    // @ts-expect-error restart is a RestartType
    DebugEndpoint.childSpec({}, { restart: 'sometimes' }),
  ];
}
void compileOnly;
