/**
 * The any-language worker of docs/worker-profiles.md ("Writing a worker in any other
 * language"): a Python worker with no Arbor code, spoken to in the u32 stdio format with the
 * package's own encodeMessage / MessageDecoder, and checked to be the exact code the page shows.
 */
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeMessage, MessageDecoder, type ChildFrame } from '../../src/index.js';
import { eventually } from '../support/connHarness.js';

const script = new URL('../../../test/fixtures/u32_worker.py', import.meta.url);
const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

test('the u32 Python worker sends READY first, answers each message with one message, and exits 0 at stdin EOF', async (t) => {
  const child = spawn(python, [fileURLToPath(script)], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.teardown(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
  const messages: unknown[] = [];
  const decoder = new MessageDecoder();
  child.stdout.on('data', (chunk: Buffer) => messages.push(...decoder.push(chunk)));
  const exited = new Promise<[number | null, string | null]>((resolve) => child.once('close', (code, signal) => resolve([code, signal])));
  t.true(await eventually(() => messages.length === 1));
  t.deepEqual(messages[0], { t: 'ready', pid: child.pid, methods: ['add', 'upper'] });
  child.stdin.write(encodeMessage({ t: 'req', id: 1, m: 'add', a: 41 }));
  t.true(await eventually(() => messages.length === 2));
  t.deepEqual(messages[1], { t: 'res', id: 1, v: 42 });
  const batch = [
    { t: 'req', id: 2, m: 'upper', a: 'héllo' },
    { t: 'req', id: 3, m: 'nope', a: 0 },
    { t: 'ping', id: 4 },
    { t: 'cancel', id: 1 },
    { t: 'req', id: 5, m: 'add', a: 'x' },
  ];
  child.stdin.write(encodeMessage(batch));
  t.true(await eventually(() => messages.length === 3));
  const replies = messages[2] as ChildFrame[];
  t.like(replies, [{ t: 'res', id: 2, v: 'HÉLLO' }, { t: 'err', id: 3, e: { code: 'unknown_method' } }, { t: 'pong', id: 4 }, { t: 'err', id: 5, e: { name: 'TypeError' } }]);
  t.is(replies.length, 4, 'one reply per req and ping, none for the cancel');
  child.stdin.end();
  t.deepEqual(await exited, [0, null]);
  t.false(existsSync(`/proc/${child.pid}`), 'the worker is gone (reaped)');
});

test('docs/worker-profiles.md shows exactly this u32_worker.py', (t) => {
  const source = readFileSync(script, 'utf8');
  const page = new URL('../../../../../docs/worker-profiles.md', import.meta.url);
  const doc = existsSync(page) ? readFileSync(page, 'utf8') : '';
  const marker = '<!-- code: packages/worker-profiles/test/fixtures/u32_worker.py -->\n```python\n';
  const at = doc.indexOf(marker);
  t.true(at >= 0, 'the page has the marked code block');
  t.is(doc.slice(at + marker.length, doc.indexOf('```\n', at + marker.length)), source);
});
