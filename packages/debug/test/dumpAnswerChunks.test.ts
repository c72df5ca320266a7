/**
 * The endpoint's answer lines are made a chunk at a time: no step of the build joins,
 * encodes or escapes the whole tree at once. Checked on the steps the endpoint runs
 * (internal module), over the dump of a real system of named actors, and end to end
 * over a real socket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { dump, GenServer, renderDump } from '@arbor/core';
import { DebugEndpoint, fetchDump } from '../src/index.js';
import { ANSWER_CHUNK_CHARS, dumpAnswer, textAnswer } from '../src/slices.js';
import { capturingSystem } from './support/helpers.js';

class Named extends GenServer<{}, undefined> {}

/** Runs a generator's steps to its end (as inSlices does, without the pauses). */
function run<T>(steps: Generator<unknown, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

test('the dump and text answers of 5,000 named actors come as chunks of about 16 K characters, which together are the whole answer line', async (t) => {
  const { system } = capturingSystem('chunks');
  for (let i = 0; i < 5000; i++) await system.spawn(Named, undefined, { name: `worker-${i}-\u00e9\n` });
  const d = dump(system);
  for (const [op, answer] of [['dump', run(dumpAnswer(d))], ['text', run(textAnswer(d))]] as const) {
    t.true(Array.isArray(answer), `${op}: the answer is a list of chunks`);
    const total = answer.reduce((n, c) => n + c.length, 0);
    t.true(answer.length > 10, `${op}: ${answer.length} chunks for ${total} bytes`);
    // A chunk holds at least ANSWER_CHUNK_CHARS characters and at most one more piece (a node or a line).
    for (const chunk of answer) t.true(chunk.length <= 4 * (ANSWER_CHUNK_CHARS + 1024), `${op}: a chunk of ${chunk.length} bytes`);
    const line = Buffer.concat(answer).toString('utf8');
    t.true(line.endsWith('\n') && line.indexOf('\n') === line.length - 1, `${op}: one line`);
    const parsed = JSON.parse(line) as { ok: true; dump?: unknown; text?: string };
    if (op === 'dump') t.deepEqual(parsed.dump, JSON.parse(JSON.stringify(d)));
    else t.is(parsed.text, renderDump(d));
  }
  const dir = mkdtempSync(join(tmpdir(), 'arbor-ch-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'debug.sock');
  await system.spawn(DebugEndpoint, { path });
  const got = await fetchDump(path, { timeout: 60_000 });
  t.is(got.actors, 5001);
  t.true(got.roots.some((n) => n.names.some((name) => name.startsWith('worker-4999-\u00e9'))));
  await system.shutdown();
});
