/**
 * dump() and renderDump(): the tree of live actors (spawnLink parents, supervisors through
 * describeSupervisor), names, statuses, JSON safety, big and deep trees, and the text form.
 */
import test from 'ava';
import {
  call,
  cast,
  checkDump,
  describeSupervisor,
  dump,
  GenServer,
  InvalidOptionError,
  renderDump,
  via,
  type ActorRef,
  type Call,
  type Dump,
  type DumpNode,
  type NameProvider,
  type SupervisorInfo,
} from '../../src/index.js';
import { gate, Probe, type ProbeArg } from '../support/actors.js';
import { capturingSystem, eventually, exitReasonOf } from '../support/helpers.js';
import { MiniSup } from '../support/miniSup.js';

/** Every node of a dump, depth-first. */
function nodes(d: Dump): DumpNode[] {
  const out: DumpNode[] = [];
  const stack = [...d.roots].reverse();
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return out;
}

function nodeOf(d: Dump, ref: ActorRef): DumpNode {
  const n = nodes(d).find((x) => x.id === ref.id);
  if (n === undefined) throw new Error(`${ref.id} is not in the dump`);
  return n;
}

const ids = (list: readonly DumpNode[]): (string | null)[] => list.map((n) => n.id);

// ------------------------------------------------------------------ plain spawnLink trees

test('dump of nested spawnLink trees: roots in start order, children under their parent in start order', async (t) => {
  const { system } = capturingSystem();
  const a = await system.spawn(Probe, undefined, { name: 'a' });
  const b = await call(a, { type: 'spawnLink', arg: {} });
  const c = await call(a, { type: 'spawnLink', arg: {} });
  const d = await call(b, { type: 'spawnLink', arg: {} });
  const e = await system.spawn(Probe, undefined);
  await call(e, { type: 'monitor', ref: c });

  const snap = dump(system);
  t.like(snap, { version: 1, system: 'test', pid: process.pid, actors: 5 });
  t.deepEqual(ids(snap.roots), [a.id, e.id]);
  const [na, ne] = snap.roots;
  t.deepEqual(ids(na!.children), [b.id, c.id]);
  t.deepEqual(ids(na!.children[0]!.children), [d.id]);
  t.deepEqual(na!.children[1]!.children, []);
  t.deepEqual(ne!.children, []);
  t.like(na, {
    names: ['a'],
    behaviour: 'Probe',
    kind: 'actor',
    strategy: null,
    status: 'waiting',
    childId: null,
    mailbox: 0,
    handled: 2,
    restarts: null,
    lastExit: null,
  });
  t.deepEqual([...na!.links].sort(), [b.id, c.id].sort());
  t.deepEqual(nodeOf(snap, b).links, [a.id, d.id]);
  t.deepEqual(ne!.monitors, [c.id]);
  t.true(na!.uptimeMs >= 0);
  t.false('omitted' in na!);
  await system.shutdown();
});

test('an actor whose parent died is a root; dead actors are not shown', async (t) => {
  const { system } = capturingSystem();
  const a = await system.spawn(Probe, undefined);
  const b = await call(a, { type: 'spawnLink', arg: {} });
  const c = await call(a, { type: 'spawnLink', arg: {} });
  await call(b, { type: 'unlink', ref: a });
  await system.stop(a, 'shutdown');
  t.false(system.isAlive(c), 'the linked child died with its parent');
  const snap = dump(system);
  t.deepEqual(ids(snap.roots), [b.id]);
  t.is(snap.actors, 1);
  await system.shutdown();
});

test('an empty system dumps no roots', (t) => {
  const { system } = capturingSystem();
  const snap = dump(system);
  t.deepEqual(snap.roots, []);
  t.is(snap.actors, 0);
  t.is(renderDump(snap).split('\n')[1], '(no live actors)');
});

test('the dump carries the process memory; checkDump accepts a dump without it and refuses a malformed one', (t) => {
  const { system } = capturingSystem();
  const snap = dump(system);
  t.true(Number.isSafeInteger(snap.memory!.rssBytes) && snap.memory!.rssBytes > 0);
  t.true(Number.isSafeInteger(snap.memory!.heapUsedBytes) && snap.memory!.heapUsedBytes > 0);
  t.is(checkDump(snap), null);
  const { memory: _, ...old } = snap;
  t.is(checkDump(old), null, 'a dump from before the memory field still checks');
  for (const memory of [null, 5, {}, { rssBytes: 1 }, { rssBytes: -1, heapUsedBytes: 1 }, { rssBytes: '1', heapUsedBytes: 1 }]) {
    t.is(checkDump({ ...snap, memory }), 'dump memory is not { rssBytes, heapUsedBytes } in bytes', JSON.stringify(memory));
  }
});

// ------------------------------------------------------------------ supervisors

/** app: db, cache (its restart fails), worker (transient), sub (a nested MiniSup), then an extra actor. */
async function supervisedTree() {
  const { system } = capturingSystem('shop');
  let cacheBroken = false;
  const cacheArg: ProbeArg = {
    onInit: () => {
      if (cacheBroken) throw new Error('cache refused');
    },
  };
  const app = await system.spawn(
    MiniSup,
    {
      strategy: 'rest_for_one',
      children: [
        { id: 'db' },
        { id: 'cache', probe: cacheArg },
        { id: 'worker', restart: 'transient' },
        { id: 'sub', sup: { children: [{ id: 'left' }, { id: 'right' }] } },
      ],
    },
    { name: 'app' },
  );
  const extra = await call(app, { type: 'spawnExtra' });
  const first = await call(app, { type: 'which' });

  // db crashes and is restarted; cache crashes and its restart fails; worker finishes normally.
  cast(first.db!, { type: 'crash', error: new Error('db down') });
  await exitReasonOf(system, first.db!);
  cacheBroken = true;
  cast(first.cache!, { type: 'crash', error: new Error('cache crashed') });
  await exitReasonOf(system, first.cache!);
  cast(first.worker!, { type: 'stop', reason: 'normal' });
  await exitReasonOf(system, first.worker!);
  const now = await call(app, { type: 'which' }); // served after the EXITs above
  return { system, app, extra, first, now };
}

test('a supervisor shows its children in its own order, then other actors it spawnLinked', async (t) => {
  const { system, app, extra, now } = await supervisedTree();
  const snap = dump(system);
  t.deepEqual(ids(snap.roots), [app.id], 'supervised children are not roots');
  const root = snap.roots[0]!;
  t.like(root, { kind: 'supervisor', strategy: 'rest_for_one', names: ['app'], behaviour: 'MiniSup', childId: null, restarts: null });
  t.deepEqual(
    root.children.map((n) => n.childId),
    ['db', 'cache', 'worker', 'sub', null],
  );
  const [db, cache, worker, sub, other] = root.children;
  t.like(db, { id: now.db!.id, status: 'waiting', kind: 'actor', restarts: 1, lastExit: 'Error: db down', behaviour: 'Probe' });
  t.like(cache, { id: null, behaviour: null, status: 'restarting', restarts: 1, lastExit: 'Error: cache refused', mailbox: 0, children: [] });
  t.like(worker, { id: null, status: 'dead', restarts: 0, lastExit: 'normal' });
  t.like(sub, { id: now.sub!.id, kind: 'supervisor', strategy: 'one_for_one', restarts: 0, lastExit: null });
  t.deepEqual(
    sub!.children.map((n) => [n.childId, n.status, n.restarts]),
    [
      ['left', 'waiting', 0],
      ['right', 'waiting', 0],
    ],
  );
  t.like(other, { id: extra.id, childId: null, restarts: null, kind: 'actor' });
  t.is(snap.actors, 1 + 1 + 1 + 2 + 1, 'app, db, sub and its two children, extra');
  await system.shutdown();
});

test('a restarting child with no actor is shown as a supervisor when its spec says so', async (t) => {
  class Reporting extends GenServer<{}, undefined> {
    [describeSupervisor](): SupervisorInfo {
      return {
        strategy: 'one_for_all',
        intensity: 1,
        period: 5,
        children: [{ id: 'pool', ref: undefined, status: 'restarting', type: 'supervisor', restart: 'permanent', restarts: 4, lastExitReason: { shutdown: 'gave up' } }],
      };
    }
  }
  const { system } = capturingSystem();
  await system.spawn(Reporting, undefined);
  const [child] = dump(system).roots[0]!.children;
  t.like(child, { id: null, childId: 'pool', kind: 'supervisor', status: 'restarting', restarts: 4, lastExit: '{"shutdown":"gave up"}' });
  await system.shutdown();
});

test('a describeSupervisor that throws does not break the dump: kind supervisor, no strategy, children by parent', async (t) => {
  interface P {
    call: Call<'spawn', ActorRef>;
  }
  class Broken extends GenServer<P, undefined> {
    override handleCall(): Promise<ActorRef> {
      return this.spawnLink(Probe, undefined);
    }
    [describeSupervisor](): SupervisorInfo {
      throw new Error('not ready');
    }
  }
  const { system } = capturingSystem();
  const sup = await system.spawn(Broken, undefined);
  const child = await call(sup, { type: 'spawn' });
  const [root] = dump(system).roots;
  t.like(root, { id: sup.id, kind: 'supervisor', strategy: null });
  t.deepEqual(ids(root!.children), [child.id]);
  await system.shutdown();
});

// ------------------------------------------------------------------ names

/** A tiny registry: a map from key to actor, as a NameProvider. */
class TinyRegistry implements NameProvider {
  readonly label = 'tiny';
  readonly #byKey = new Map<unknown, ActorRef>();

  registerName(key: unknown, ref: ActorRef): ActorRef | undefined {
    const holder = this.#byKey.get(key);
    if (holder !== undefined) return holder;
    this.#byKey.set(key, ref);
    return undefined;
  }
  unregisterName(key: unknown, ref: ActorRef): void {
    if (this.#byKey.get(key) === ref) this.#byKey.delete(key);
  }
  whereisName(key: unknown): ActorRef | undefined {
    return this.#byKey.get(key);
  }
  keysOf(ref: ActorRef): readonly unknown[] {
    return [...this.#byKey].filter(([, r]) => r === ref).map(([k]) => k);
  }
}

test('names: the local name, then each registry key as label:key', async (t) => {
  const { system } = capturingSystem();
  const registry = new TinyRegistry();
  system.addNameProvider(registry);
  const w = await system.spawn(Probe, undefined, { name: via(registry, 'worker:1') });
  system.register('w1', w);
  const tenant = await system.spawn(Probe, undefined, { name: via(registry, { tenant: 'a' }) });
  const plain = await system.spawn(Probe, undefined, { name: 'plain' });
  const anonymous = await system.spawn(Probe, undefined);
  const snap = dump(system);
  t.deepEqual(nodeOf(snap, w).names, ['w1', 'tiny:worker:1']);
  t.deepEqual(nodeOf(snap, tenant).names, ['tiny:{"tenant":"a"}']);
  t.deepEqual(nodeOf(snap, plain).names, ['plain']);
  t.deepEqual(nodeOf(snap, anonymous).names, []);
  await system.shutdown();
});

test('a registry whose keysOf throws is skipped', async (t) => {
  const { system } = capturingSystem();
  const broken: NameProvider = {
    label: 'broken',
    registerName: () => undefined,
    unregisterName: () => {},
    whereisName: () => undefined,
    keysOf: () => {
      throw new Error('broken');
    },
  };
  system.addNameProvider(broken);
  const ref = await system.spawn(Probe, undefined, { name: via(broken, 'x') });
  system.register('named', ref);
  t.deepEqual(nodeOf(dump(system), ref).names, ['named']);
  await system.shutdown();
});

// ------------------------------------------------------------------ statuses

interface HeldProtocol {
  call: Call<'hold', true, { until: Promise<void> }>;
}

/** Init and terminate held open by promises the test controls. */
class Held extends GenServer<HeldProtocol, undefined, { init?: Promise<void>; terminate?: Promise<void> }> {
  arg: { init?: Promise<void>; terminate?: Promise<void> } = {};
  override async init(arg: { init?: Promise<void>; terminate?: Promise<void> }): Promise<void> {
    this.arg = arg;
    await arg.init;
  }
  override async handleCall(req: { type: 'hold'; until: Promise<void> }): Promise<true> {
    await req.until;
    return true;
  }
  override async terminate(): Promise<void> {
    await this.arg.terminate;
  }
}

test('statuses: waiting, running, suspended, initializing, stopping', async (t) => {
  const { system } = capturingSystem();
  const waiting = await system.spawn(Probe, undefined);

  const busy = await system.spawn(Held, {});
  const release = gate();
  const held = call(busy, { type: 'hold', until: release.promise });

  const suspended = await system.spawn(Probe, undefined);
  await system.suspend(suspended);
  cast(suspended, { type: 'stop', reason: 'normal' });

  const initGate = gate();
  const starting = system.spawn(Held, { init: initGate.promise });

  const termGate = gate();
  const stopping = await system.spawn(Held, { terminate: termGate.promise });
  const stopped = system.stop(stopping, 'shutdown');
  t.true(await eventually(() => system.getStatus(stopping).status === 'stopping'));

  const snap = dump(system);
  const byId = new Map(nodes(snap).map((n) => [n.id, n]));
  t.is(byId.get(waiting.id)?.status, 'waiting');
  t.like(byId.get(busy.id), { status: 'running', mailbox: 0 });
  t.like(byId.get(suspended.id), { status: 'suspended', mailbox: 1 });
  t.like(byId.get(stopping.id), { status: 'stopping' });
  const initializing = nodes(snap).filter((n) => n.status === 'initializing');
  t.is(initializing.length, 1);
  t.is(initializing[0]!.behaviour, 'Held');

  release.open();
  initGate.open();
  termGate.open();
  await Promise.all([held, starting, stopped]);
  await system.resume(suspended);
  await system.shutdown();
});

// ------------------------------------------------------------------ JSON

/** True if the value is plain JSON data: no undefined, functions, symbols, bigints or class instances. */
function isPlainJson(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isPlainJson);
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    return (proto === Object.prototype || proto === null) && Object.values(v as object).every(isPlainJson);
  }
  return false;
}

test('the dump is plain JSON data: JSON.stringify round-trips it exactly', async (t) => {
  const { system } = await supervisedTree();
  const snap = dump(system);
  t.true(isPlainJson(snap));
  t.deepEqual(JSON.parse(JSON.stringify(snap)), snap);
  await system.shutdown();
});

// ------------------------------------------------------------------ size and depth

interface FanoutArg {
  readonly children: number;
}

/** Spawns `children` linked leaves in init. */
class Fanout extends GenServer<{}, undefined, FanoutArg> {
  override async init(arg: FanoutArg): Promise<void> {
    await Promise.all(Array.from({ length: arg.children }, () => this.spawnLink(Leaf, undefined)));
  }
}
class Leaf extends GenServer<{}, undefined> {}

/** A chain: each link spawnLinks the next in init. */
class Chain extends GenServer<{}, undefined, number> {
  override async init(left: number): Promise<void> {
    if (left > 0) await this.spawnLink(Chain, left - 1);
  }
}

test('100k actors under one parent', async (t) => {
  const { system } = capturingSystem();
  const parent = await system.spawn(Fanout, { children: 100_000 });
  const snap = dump(system);
  t.is(snap.actors, 100_001);
  t.deepEqual(ids(snap.roots), [parent.id]);
  t.is(snap.roots[0]!.children.length, 100_000);
  const actorIds = system.actors().map((r) => r.id);
  t.deepEqual(ids(snap.roots[0]!.children), actorIds.slice(1), 'children in start order');
  t.is(renderDump(snap).split('\n').length, 1 + 100_001);
  await system.shutdown();
});

test('a deep chain: no stack overflow, and maxDepth cuts it with a count of what is left out', async (t) => {
  const { system } = capturingSystem();
  await system.spawn(Chain, 3000);
  t.is(system.size, 3001);

  const cut = dump(system);
  let n = cut.roots[0]!;
  let depth = 0;
  while (n.children.length > 0) {
    n = n.children[0]!;
    depth++;
  }
  t.is(depth, 500, 'default maxDepth');
  t.is(n.omitted, 3000 - 500);
  t.notThrows(() => JSON.stringify(cut));
  const text = renderDump(cut).split('\n');
  t.regex(text.at(-1)!, /└── … 2500 more below \(raise maxDepth to see them\)$/);

  const full = dump(system, { maxDepth: 5000 });
  t.is(nodes(full).length, 3001);
  t.is(renderDump(full).split('\n').length, 1 + 3001);

  const shallow = dump(system, { maxDepth: 0 });
  t.deepEqual(shallow.roots[0]!.children, []);
  t.is(shallow.roots[0]!.omitted, 3000);
  await system.shutdown();
});

test('dump checks its options', (t) => {
  const { system } = capturingSystem();
  t.throws(() => dump(system, { maxDepth: -1 }), { instanceOf: InvalidOptionError, message: /options.maxDepth must be an integer >= 0/ });
  t.throws(() => dump(system, { maxDepth: 1.5 }), { instanceOf: InvalidOptionError });
  t.throws(() => dump(system, null as never), { instanceOf: InvalidOptionError });
});

// ------------------------------------------------------------------ renderDump

const leaf = (over: Partial<DumpNode>): DumpNode => ({
  id: 'x',
  names: [],
  behaviour: 'Worker',
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
  uptimeMs: 12,
  children: [],
  ...over,
});

test('renderDump draws a known tree line by line', (t) => {
  const d: Dump = {
    version: 1,
    system: 'shop',
    pid: 4242,
    takenAt: '2026-11-21T12:00:00.000Z',
    actors: 6,
    roots: [
      leaf({
        id: 'S1',
        names: ['app'],
        behaviour: 'AppSup',
        kind: 'supervisor',
        strategy: 'one_for_one',
        children: [
          leaf({ id: 'D1', childId: 'db', names: ['db', 'registry:db:main'], behaviour: 'Db', restarts: 1, lastExit: 'Error: db down', mailbox: 3 }),
          leaf({ id: null, behaviour: null, childId: 'cache', status: 'restarting', restarts: 2, lastExit: 'Error: refused\nat line 2' }),
          leaf({
            id: 'P1',
            childId: 'pool',
            behaviour: 'PoolSup',
            kind: 'supervisor',
            strategy: 'rest_for_one',
            restarts: 0,
            children: [leaf({ id: 'W1', childId: 'w1', restarts: 0, status: 'suspended' })],
          }),
          leaf({ id: 'X1', status: 'running' }),
        ],
      }),
      leaf({ id: 'E1', names: ['debug'], behaviour: 'DebugEndpoint', status: 'running' }),
    ],
  };
  t.deepEqual(renderDump(d).split('\n'), [
    'system "shop", pid 4242, 6 actors, taken 2026-11-21T12:00:00.000Z',
    '├── app: AppSup #S1 waiting, one_for_one, mailbox 0',
    '│   ├── db (registry:db:main): Db #D1 waiting, restarts 1, mailbox 3, last exit: Error: db down',
    '│   ├── cache: (no actor) restarting, restarts 2, last exit: Error: refused\\u000aat line 2',
    '│   ├── pool: PoolSup #P1 waiting, rest_for_one, restarts 0, mailbox 0',
    '│   │   └── w1: Worker #W1 suspended, restarts 0, mailbox 0',
    '│   └── Worker #X1 running, mailbox 0',
    '└── debug: DebugEndpoint #E1 running, mailbox 0',
  ]);
});

test('renderDump of a live supervised tree: one line per node, indented by depth', async (t) => {
  const { system, app } = await supervisedTree();
  const lines = renderDump(dump(system)).split('\n');
  t.regex(lines[0]!, /^system "shop", pid \d+, 6 actors, taken \S+$/);
  const body = lines.slice(1).map((l) => l.replace(/#[\w-]+/g, '#ID'));
  t.deepEqual(body, [
    `└── app: MiniSup #ID waiting, rest_for_one, mailbox 0`,
    '    ├── db: Probe #ID waiting, restarts 1, mailbox 0, last exit: Error: db down',
    '    ├── cache: (no actor) restarting, restarts 1, last exit: Error: cache refused',
    '    ├── worker: (no actor) dead, restarts 0, last exit: normal',
    '    ├── sub: MiniSup #ID waiting, one_for_one, restarts 0, mailbox 0',
    '    │   ├── left: Probe #ID waiting, restarts 0, mailbox 0',
    '    │   └── right: Probe #ID waiting, restarts 0, mailbox 0',
    '    └── Probe #ID waiting, mailbox 0',
  ]);
  t.true(lines[1]!.includes(`#${app.id}`));
  await system.shutdown();
});
