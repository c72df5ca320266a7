import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listPids } from '../src/proc/procfs.js';
import { eventually } from './support/helpers.js';

const DOCS = fileURLToPath(new URL('../../../../docs/process-registry.md', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'arbor-docs-example-'));
// Inside the package, so that `@arbor/process-registry` resolves as a user's import would.
const script = fileURLToPath(new URL(`./docs-example-${process.pid}.mjs`, import.meta.url));

test.after.always(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(script, { force: true });
});

/** Processes whose environment holds our temp data dir: the example's workers (they inherit it). */
function exampleProcesses(): number[] {
  return listPids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`XDG_DATA_HOME=${dataDir}`) && pid !== process.pid;
    } catch {
      return false;
    }
  });
}

test('the docs/process-registry.md example runs as written and exits with code 0, its worker stopped', async (t) => {
  const docs = readFileSync(DOCS, 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(docs)?.[1];
  if (example === undefined) return t.fail('no ts example in docs/process-registry.md');
  t.regex(example, /child\.on\('exit', \(\) => void registry\.unregisterWorker/);
  writeFileSync(script, example);
  const child = spawn(process.execPath, [script], { env: { ...process.env, XDG_DATA_HOME: dataDir, ARBOR_LOG_LEVEL: 'error' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  t.is(code, 0, output.split('\n').slice(0, 8).join('\n'));
  t.notRegex(output, /Unhandled|CallExitError/);
  t.true(await eventually(() => exampleProcesses().length === 0, 5000), `left running: ${exampleProcesses().join(', ')}`);
});
