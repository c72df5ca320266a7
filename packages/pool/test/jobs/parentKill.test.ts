// A SIGKILLed parent mid-load (issue 15 §4): a child Node process runs job pools of busy
// Node-process workers (and Python ones where python3 exists) under a process registry;
// the test SIGKILLs it. Where setpriv exists (pdeathsig), no worker is left one second
// later; in any case the next start's registry sweep leaves nothing alive, and with
// pdeathsig it finds nothing left to kill.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createLogger, createSystem } from '@arbor/core';
import { ProcessRegistry } from '@arbor/process-registry';
import { hasSetpriv } from '@arbor/worker-profiles';
import { eventually, isAlive, killLeft } from '../support/tracked.js';

const parentScript = fileURLToPath(new URL('../../../test/fixtures/jobsParent.mjs', import.meta.url));
const hasPython = spawnSync('python3', ['--version']).status === 0;
const seen: number[] = [];
const dir = mkdtempSync(join(tmpdir(), 'arbor-jparent-'));
test.after.always(() => {
  const left = killLeft(seen);
  rmSync(dir, { recursive: true, force: true });
  if (left.length > 0) throw new Error(`processes started by this test file survived it: ${left.join(', ')}`);
});

test('a SIGKILLed parent leaves no job pool worker behind, and the next registry start has nothing left to kill', async (t) => {
  const path = join(dir, 'r.mdb');
  const parent = spawn(process.execPath, [parentScript, path, String(hasPython)], { stdio: ['ignore', 'pipe', 'inherit'] });
  seen.push(parent.pid!);
  const [line] = (await once(createInterface({ input: parent.stdout! }), 'line')) as [string];
  const { pids, running } = JSON.parse(line) as { pids: number[]; running: number[] };
  seen.push(...pids);
  t.deepEqual(running, hasPython ? [2, 2] : [2], 'every worker runs a busy job');
  t.is(pids.length, hasPython ? 4 : 2, `the registry holds every worker: ${pids.join(', ')}`);
  t.deepEqual(pids.filter((pid) => !isAlive(pid)), [], 'the workers run before the parent is killed');
  parent.kill('SIGKILL');
  await once(parent, 'exit');
  await new Promise((r) => setTimeout(r, 1_000));
  const setpriv = hasSetpriv();
  if (setpriv) t.deepEqual(pids.filter(isAlive), [], 'no worker is left one second after its parent was SIGKILLed (pdeathsig)');
  else t.log('no setpriv here: the workers outlive the parent until the registry sweep');

  const system = createSystem({ logger: createLogger('silent') });
  try {
    const registry = await ProcessRegistry.start(system, { path, name: 'process-registry' });
    const report = await registry.startupCleanup();
    if (report === undefined) return t.fail('the registry ran no start-up cleanup');
    t.true(report.orphanRuns.length >= 1, 'the sweep judged the SIGKILLed parent\'s run');
    const acted = [...report.orphans, ...report.markedProcesses].filter((o) => o.outcome === 'terminated' || o.outcome === 'killed' || o.outcome === 'survived');
    if (setpriv) t.deepEqual(acted, [], 'the sweep found nothing left to kill');
    t.true(await eventually(() => !pids.some(isAlive), 5_000), `alive after the sweep: ${pids.filter(isAlive).join(', ')}`);
    t.log(`workers ${pids.length}; sweep: orphan runs ${report.orphanRuns.length}, orphans ${report.orphans.length} (${[...new Set(report.orphans.map((o) => o.outcome))].join(', ')}), marked ${report.markedProcesses.length}, removed ${report.removed}`);
  } finally {
    await system.shutdown();
  }
});
