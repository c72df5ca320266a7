/**
 * Junk at every export of the dump module (issue 11 §3): each call is refused with a
 * typed ArborError whose one-line message names what was wrong and what to pass. The
 * endpoint's half (DebugEndpoint, fetchDump, the addresses) is probed in @arbor/debug.
 */
import test from 'ava';
import { ArborError, checkDump, GenServer, createLogger, createSystem, dump, dumpSteps, InvalidOptionError, renderDump, renderDumpLines, type Dump } from '../../src/index.js';

/** An actor that only waits. */
class Idle extends GenServer {}

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
  await refused(t, 'dumpSteps(5)', () => dumpSteps(5 as never), InvalidOptionError, 'invalid_option', /^system must be an ActorSystem/);
  await refused(t, 'dumpSteps maxDepth', () => dumpSteps(system, { maxDepth: 1.5 }), InvalidOptionError, 'invalid_option', /^options.maxDepth must be an integer >= 0/);
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
    t.regex(checkDump(value) ?? 'null', detail, `checkDump: ${label}`);
  }
  t.is(checkDump(okDump()), null);
  t.is(renderDump(okDump()), 'system "s", pid 1, 0 actors, taken now\n(no live actors)');
  t.deepEqual([...renderDumpLines(okDump())], ['system "s", pid 1, 0 actors, taken now', '(no live actors)']);
});

test('dumpSteps yields between actors and returns the tree dump(system) takes at once', async (t) => {
  const system = createSystem({ name: 'steps', logger: createLogger('silent') });
  await system.spawn(Idle, undefined, { name: 'a' });
  await system.spawn(Idle, undefined, { name: 'b' });
  const steps = dumpSteps(system);
  let yields = 0;
  let r = steps.next();
  for (; r.done !== true; r = steps.next()) yields++;
  t.true(yields >= 2, `at least one step per actor (${yields})`);
  const tree = (d: Dump): string[] => renderDump(d).split('\n').slice(1); // the header holds takenAt
  t.deepEqual(tree(r.value), tree(dump(system)));
  t.deepEqual(tree(r.value), ['├── a: Idle #' + r.value.roots[0]!.id + ' waiting, mailbox 0', '└── b: Idle #' + r.value.roots[1]!.id + ' waiting, mailbox 0']);
  await system.shutdown();
});
