/**
 * `renderTop` and `sampleOf` over made-up dumps: rates from two samples, the top lists,
 * memory, pools, the tree cut to the height, and lines cut to the width (never longer,
 * no control characters).
 */
import test from 'ava';
import type { Dump, DumpNode, StatusDetails } from '@arbor/core';
import { renderTop } from '../../src/top/renderTop.js';
import { sampleOf, type TopSample } from '../../src/top/TopSample.js';
import { TopSampler } from '../../src/top/TopSampler.js';

/** A node with defaults; `over` sets the rest. */
function node(id: string | null, over: Partial<DumpNode> & { details?: StatusDetails } = {}): DumpNode {
  return {
    id,
    names: [],
    behaviour: id === null ? null : 'Worker',
    kind: 'actor',
    strategy: null,
    status: 'waiting',
    childId: null,
    mailbox: 0,
    handled: 0,
    restarts: null,
    lastExit: null,
    links: [],
    monitors: [],
    uptimeMs: 1000,
    children: [],
    ...over,
  };
}

function dumpOf(roots: DumpNode[], over: Partial<Dump> = {}): Dump {
  let actors = 0;
  const count = (ns: readonly DumpNode[]): void => ns.forEach((n) => ((actors += n.id === null ? 0 : 1), count(n.children)));
  count(roots);
  return { version: 1, system: 'shop', pid: 4242, takenAt: '2026-12-03T09:00:00.000Z', actors, roots, ...over };
}

/** A supervisor with a busy child, an idle one, a stopped one, and a worker that reports its memory. */
function shop(handled: { busy: number; idle: number }, at: string): Dump {
  return dumpOf(
    [
      node('sup', {
        names: ['shop'],
        behaviour: 'ShopSup',
        kind: 'supervisor',
        strategy: 'one_for_one',
        children: [
          node('busy', { childId: 'orders', mailbox: 7, handled: handled.busy, status: 'running' }),
          node('idle', { childId: 'mailer', mailbox: 2, handled: handled.idle }),
          node(null, { childId: 'report', status: 'dead', restarts: 0, lastExit: 'normal' }),
          node('py', { childId: 'py', behaviour: 'WorkerActor', details: { kind: 'python', pid: 5150, rssBytes: 50 * 1024 * 1024 } }),
        ],
      }),
    ],
    { takenAt: at, memory: { rssBytes: 80 * 1024 * 1024, heapUsedBytes: 20 * 1024 * 1024 } },
  );
}

const twoSamples = (): { first: TopSample; second: TopSample } => {
  const first = sampleOf(shop({ busy: 100, idle: 5 }, '2026-12-03T09:00:00.000Z'), undefined, 0);
  const second = sampleOf(shop({ busy: 600, idle: 5 }, '2026-12-03T09:00:02.000Z'), first, 1234);
  return { first, second };
};

/** The lines of a section, from its title line to the blank line after it. */
function section(lines: readonly string[], title: string): string[] {
  const start = lines.findIndex((l) => l.includes(title));
  if (start < 0) throw new Error(`no ${title} section`);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

const BIG = { width: 200, height: 200 };

test('rates are the growth of handled over the time between the two dumps (their takenAt)', (t) => {
  const { first, second } = twoSamples();
  t.is(first.index, 1);
  t.is(first.elapsedMs, null);
  t.is(first.rates.size, 0);
  t.is(second.index, 2);
  t.is(second.elapsedMs, 2000);
  t.is(second.rates.get('busy'), 250);
  t.is(second.rates.get('idle'), 0);
  t.false(second.rates.has('gone'));
  // The same takenAt (a clock that did not move): the caller's elapsed time is used.
  const third = sampleOf(shop({ busy: 700, idle: 5 }, '2026-12-03T09:00:02.000Z'), second, 500);
  t.is(third.elapsedMs, 500);
  t.is(third.rates.get('busy'), 200);
});

test('an actor that is new, or whose count went down, has no rate', (t) => {
  const first = sampleOf(dumpOf([node('a', { handled: 50 })]), undefined, 0);
  const second = sampleOf(dumpOf([node('a', { handled: 10 }), node('b', { handled: 99 })], { takenAt: '2026-12-03T09:00:01.000Z' }), first, 1000);
  t.deepEqual([...second.rates], []);
});

test('the screen: header with memory, top by mailbox, by messages/s, by memory, and the tree', (t) => {
  const { first, second } = twoSamples();
  const lines = renderTop(second, BIG);
  t.is(lines[0], 'arbor top: system "shop", pid 4242, 4 actors, sample 2 (2000 ms since the last)');
  t.is(lines[1], 'memory: rss 80.0 MiB, heap 20.0 MiB; taken 2026-12-03T09:00:02.000Z');
  t.deepEqual(section(lines, 'top by mailbox'), [
    '       7      250  orders: Worker #busy running',
    '       2      0.0  mailer: Worker #idle waiting',
    '       0      0.0  shop: ShopSup #sup waiting',
    '       0      0.0  py: WorkerActor #py waiting',
  ]);
  t.deepEqual(section(lines, 'top by messages/s')[0], '     250        7  orders: Worker #busy running');
  t.deepEqual(section(lines, 'top by memory'), ['50.0 MiB      0.0  py: WorkerActor #py waiting']);
  t.deepEqual(section(lines, 'tree'), [
    '  shop: ShopSup #sup waiting, mailbox 0, 0.0/s',
    '    orders: Worker #busy running, mailbox 7, 250/s',
    '    mailer: Worker #idle waiting, mailbox 2, 0.0/s',
    '    report: (no actor) dead',
    '    py: WorkerActor #py waiting, mailbox 0, 0.0/s',
  ]);
  // The first sample has no rates yet, and says so.
  const before = renderTop(first, BIG);
  t.deepEqual(section(before, 'top by messages/s'), ['  (messages/s from the second sample on)']);
  t.is(section(before, 'top by mailbox')[0], '       7        -  orders: Worker #busy running');
});

test('--limit caps each top list; the hint and the notice go under the header', (t) => {
  const { second } = twoSamples();
  const lines = renderTop(second, { ...BIG, limit: 2, hint: 'q quits', notice: 'the endpoint is gone' });
  t.regex(lines[1]!, /; q quits$/);
  t.is(lines[2], 'the endpoint is gone');
  t.is(section(lines, 'top by mailbox').length, 2);
  t.is(section(lines, 'top by messages/s').length, 2);
});

test('an empty tree, and a dump without memory (an older application)', (t) => {
  const lines = renderTop(sampleOf(dumpOf([]), undefined, 0), BIG);
  t.is(lines[0], 'arbor top: system "shop", pid 4242, 0 actors, sample 1 (first sample)');
  t.regex(lines[1]!, /^memory: not in this dump; taken /);
  t.deepEqual(section(lines, 'top by mailbox'), ['  (no live actors)']);
  t.deepEqual(section(lines, 'top by memory'), ['  (none report memory: no actor status carries rssBytes or heapUsedBytes)']);
  t.deepEqual(section(lines, 'pools (0)'), ['  (none)']);
  t.deepEqual(section(lines, 'tree'), ['  (no live actors)']);
});

test('pools: the nodes whose status looks like a pool manager’s, with their counters', (t) => {
  const d = dumpOf([
    node('p1', { names: ['db_pool'], behaviour: 'PoolManager', details: { pool: 'db', state: 'ready', size: 4, idle: 3, checkedOut: 1, waiting: 0 } }),
    node('p2', { names: ['jobs'], behaviour: 'JobPoolManager', details: { pool: 'resize', kind: 'python', workers: 2, running: 2, queued: 9 } }),
    node('p3', { behaviour: 'Unnamed', details: { idle: 1, checkedOut: 0 } }),
    node('ep', { behaviour: 'DebugEndpoint', details: { connections: 1, queued: 0, waiting: 0, builds: 3 } }),
    node('w', { behaviour: 'WorkerActor', details: { kind: 'python', queued: 1, inFlight: 1 } }),
  ]);
  const lines = renderTop(sampleOf(d, undefined, 0), BIG);
  t.deepEqual(section(lines, 'pools ('), [
    '  db_pool: state=ready size=4 idle=3 checkedOut=1 waiting=0',
    '  jobs: kind=python workers=2 running=2 queued=9',
    '  : idle=1 checkedOut=0',
  ]);
  t.true(lines.includes('pools (3)'));
  t.deepEqual(section(renderTop(sampleOf(d, undefined, 0), { ...BIG, limit: 1 }), 'pools ('), ['  db_pool: state=ready size=4 idle=3 checkedOut=1 waiting=0', '  … 2 more']);
});

test('the tree is cut to the rows left, with a line counting what is left out', (t) => {
  const many = dumpOf([node('root', { names: ['root'], children: Array.from({ length: 50 }, (_, i) => node(`c${i}`, { childId: `c${i}` })) })]);
  const lines = renderTop(sampleOf(many, undefined, 0), { width: 100, height: 30 });
  t.is(lines.length, 30);
  t.regex(lines.at(-1)!, /^ {2}… \d+ more lines \(a taller terminal shows them\)$/);
  const shown = lines.slice(lines.indexOf('tree') + 1, -1).length;
  t.is(Number(/… (\d+) more/.exec(lines.at(-1)!)![1]), 51 - shown, 'the count is what is left out');
  // A screen shorter than the header still gets no more lines than it has.
  t.is(renderTop(sampleOf(many, undefined, 0), { width: 100, height: 3 }).length, 3);
  // Without a height (a pipe), the whole tree.
  t.is(section(renderTop(sampleOf(many, undefined, 0), { width: Infinity, height: Infinity }), 'tree').length, 51);
});

test('no line is longer than the width, whatever the width; cut lines end in …; names cannot inject control characters', (t) => {
  const { first } = twoSamples();
  const evil = sampleOf(
    dumpOf([node('x', { names: ['a\u001b[2Jname\nwith a newline and a very long tail '.repeat(3)], behaviour: 'Evil\r' })], { system: 'sys\u0007' }),
    first,
    1000,
  );
  for (const sample of [twoSamples().second, evil]) {
    for (let width = 0; width <= 130; width++) {
      const lines = renderTop(sample, { width, height: 60 });
      for (const l of lines) {
        t.true([...l].length <= width, `width ${width}: ${JSON.stringify(l)}`);
        // eslint-disable-next-line no-control-regex
        t.false(/[\u0000-\u001f\u007f]/.test(l), JSON.stringify(l));
      }
    }
  }
  const narrow = renderTop(twoSamples().second, { width: 30, height: 60 });
  t.is(narrow[0], 'arbor top: system "shop", pid…');
  t.true(renderTop(evil, BIG).some((l) => l.includes('\\u001b[2Jname\\u000awith')));
});

test('TopSampler: rates between successive reads; a failed read keeps the previous sample', async (t) => {
  const answers: (Dump | Error)[] = [shop({ busy: 0, idle: 0 }, '2026-12-03T09:00:00.000Z'), new Error('gone'), shop({ busy: 3000, idle: 0 }, '2026-12-03T09:00:03.000Z')];
  const sampler = new TopSampler('/tmp/x.sock', { timeout: 10 }, async (endpoint, options) => {
    t.is(endpoint, '/tmp/x.sock');
    t.deepEqual(options, { timeout: 10 });
    const a = answers.shift()!;
    if (a instanceof Error) throw a;
    return a;
  });
  t.is((await sampler.next()).index, 1);
  await t.throwsAsync(sampler.next(), { message: 'gone' });
  t.is(sampler.last!.index, 1);
  const third = await sampler.next();
  t.is(third.index, 2);
  t.is(third.rates.get('busy'), 1000);
});
