import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import type { DemoSummary } from '../../src/demo/scenario.js';
import { hasNatsServer, type ClusterSummary } from '../../src/demo/clusterPart.js';
import { DEMO_MARKER, markedPids, until } from '../../src/demo/ServiceProcess.js';

const DEMO = fileURLToPath(new URL('../../src/demo.js', import.meta.url));

test('the demo runs its faults, answers every request, sweeps the orphans and leaves no process', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'docservice-demo-test-'));
  const token = randomUUID();
  const summaryFile = join(dir, 'summary.json');
  try {
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, [DEMO, '--summary-json', summaryFile], { env: { ...process.env, [DEMO_MARKER]: token }, maxBuffer: 1 << 24 }, (error, out) =>
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout: out }),
      );
      child.stdin?.end();
    });
    t.is(code, 0, stdout);
    const s = JSON.parse(readFileSync(summaryFile, 'utf8')) as DemoSummary & { cluster: ClusterSummary };

    // every request got an answer, except the one in flight when the whole service was SIGKILLed
    t.is(s.answered + s.cutOff, s.sent);
    t.is(s.cutOff, s.python ? 1 : 0);
    t.true(s.sent > 200);

    const seen = Object.fromEntries(s.faults.map((f) => [f.fault.split(' ').slice(0, 4).join(' '), f.callerSaw]));
    t.is(seen['a stats thread killed'], '503 worker_exit');
    t.is(seen['an OOM job: the'], '507 oom');
    t.is(seen["the stats pool's manager"], '503 killed');
    t.is(seen['the HTTP API actor'], '200', 'the restarted HTTP actor serves the same session and documents');
    if (s.python) {
      t.is(seen['a Python worker crashes'], '200', 'the crash barrier retried the idempotent summary');
      t.is(seen['a Python worker hangs'], '504 timeout');
    }
    t.true(s.faults.every((f) => f.asExpected));
    t.like(s.failedBy, { worker_exit: 1, oom: 1, killed: 1, ...(s.python ? { timeout: 1 } : {}) });

    t.is(s.documents.survivedPoolFaults, s.documents.posted);
    if (s.python) {
      t.true(s.orphans.aliveAfterKill.length >= 1, 'a Python worker outlived the SIGKILL');
      const stopped = s.orphans.swept.filter((o) => o.outcome === 'terminated' || o.outcome === 'killed');
      t.true(stopped.length >= 1 && stopped.every((o) => s.orphans.aliveAfterKill.includes(o.pid!)), 'the sweep stopped the orphan that outlived the SIGKILL');
    }
    t.deepEqual(s.orphans.leftAfterSweep, []);
    t.is(s.stopCode, 0);
    t.deepEqual(s.processesLeft, []);

    // the cluster part: the child placed on docs-b restarts on docs-a when docs-b is SIGKILLed
    if (hasNatsServer()) {
      const c = s.cluster;
      if (!c.ran) throw new Error(`the cluster part did not run: ${c.why}`);
      t.is(c.firstOn, 'docs-b');
      t.is(c.restartedOn, 'docs-a');
      t.deepEqual(c.lookupAfter, c.lookupBefore, 'indexed again after the restart');
      t.deepEqual(c.lookupBefore, ['doc-2', 'doc-3']);
      t.deepEqual(c.stopCodes.slice(0, 1), [0]);
      t.deepEqual(c.processesLeft, []);
      t.true(c.asExpected);
    } else {
      t.false(s.cluster.ran);
      t.regex(stdout, /cluster part skipped: nats-server is not on the PATH \(install it: apt-get install -y nats-server\)/);
    }

    t.true(stdout.includes('\nsummary\n'));
    t.regex(stdout, /fault: .*\n +→ .*\n +→ the caller saw /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  t.true(await until(() => markedPids(token).length === 0, 5_000), `left running: ${markedPids(token).join(', ')}`);
});
