import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, createSystem } from '@arbor/core';
import { ProcessRegistry } from '@arbor/process-registry';
import { hasSetpriv } from '../../src/index.js';
import { cleanUpFile, eventually, fixture, isAlive, tempDir, track } from '../support/helpers.js';

test.after.always(cleanUpFile);

/** Starts the fixture parent, waits for its workers' pids (busy in sync loops), SIGKILLs it. */
async function killParent(path: string, pdeathsig: boolean): Promise<number[]> {
  const parent = spawn(process.execPath, [fixture('parent.mjs'), path, String(pdeathsig)], { stdio: ['ignore', 'pipe', 'inherit'] });
  track(parent.pid);
  const [line] = (await once(createInterface({ input: parent.stdout! }), 'line')) as [string];
  const { pids } = JSON.parse(line) as { pids: number[] };
  pids.forEach(track);
  t0Alive(pids);
  parent.kill('SIGKILL');
  await once(parent, 'exit');
  return pids;
}

function t0Alive(pids: number[]): void {
  if (!pids.every(isAlive)) throw new Error(`the workers ${pids.join(', ')} were not running before the parent was killed`);
}

test('busy workers under setpriv die with their SIGKILLed parent', async (t) => {
  t.true(hasSetpriv(), 'setpriv is in this image');
  const pids = await killParent(join(tempDir(), 'r.mdb'), true);
  t.true(await eventually(() => !pids.some(isAlive), 5_000), `alive: ${pids.filter(isAlive).join(', ')}`);
});

test('without pdeathsig busy workers outlive the parent, and the next registry start sweeps them', async (t) => {
  const path = join(tempDir(), 'r.mdb');
  const pids = await killParent(path, false);
  await sleep(1000);
  t.deepEqual(pids.filter(isAlive), pids, 'both survive the parent (they are busy: no EOF, no disconnect seen)');
  const system = createSystem({ logger: createLogger('silent') });
  await ProcessRegistry.start(system, { path, name: 'process-registry' });
  t.true(await eventually(() => !pids.some(isAlive), 10_000), 'the start-up sweep killed the orphans');
  await system.shutdown();
});
