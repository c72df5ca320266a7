/**
 * Supervisor properties (reference semantics §3), checked with fast-check on random trees:
 * depth 1 to 3, 1 to 5 children per supervisor, random strategies, restart types,
 * intensities and periods (sometimes a backoff, or an autoShutdown with significant
 * children), workers and nested supervisors mixed, some workers refusing their first
 * restarts (so restarts fail and are retried). Every actor of the tree records `start`
 * and `stop` events. A random sequence of kills (a crash from a cast that
 * throws, `exit(ref, 'kill')`, `exit(ref, 'shutdown')`, a normal stop) hits random live
 * actors of the tree, the root included; after each one the test waits until the tree
 * is quiet, then checks:
 *
 * a) every permanent child of a live supervisor is running (a supervisor that gave up is
 *    dead, and its own parent restarted or dropped it); a temporary child is never
 *    started twice by one supervisor;
 * b) no two live actors ever run under one (supervisor, child id);
 * c) when a supervisor stops several children at once (one_for_all or rest_for_one
 *    restart, its own shutdown), they stop in reverse start order;
 * d) stopping the root with `system.stop(root, 'shutdown')` leaves no actor of the tree
 *    alive and `system.size` where it was before the tree started (when the root died
 *    during the kills, the same holds once its orphans have exited).
 *
 * e) the same, with kills that follow each other before the tree settles (so they land
 *    while supervisors are restarting or stopping children); (a) is then checked once the
 *    tree has settled after the last kill.
 *
 * f) a DynamicSupervisor under random startChild, terminateChild and kills (its children
 *    are the same recording workers): every permanent child it started and was not told to
 *    terminate runs once it is quiet, it never holds more than maxChildren, one actor per
 *    child at a time, temporary children never restart, and stopping it frees every actor.
 *
 * On a failure fast-check prints the seed, the path and the shrunk counterexample.
 * No timing is asserted: waits are bounded only so that a hang fails with a message.
 */
import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import {
  createLogger,
  createSystem,
  DynamicSupervisor,
  GenServer,
  Supervisor,
  type ActorRef,
  type ActorSystem,
  type AutoShutdown,
  type Backoff,
  type ChildEntry,
  type ChildSpec,
  type DynamicSupervisorProtocol,
  type ExitReason,
  type RestartType,
  type Shutdown,
  type Strategy,
  type SupervisorDef,
  type SystemInfo,
} from '../../src/index.js';
import { eventually, settle, sleep } from '../support/helpers.js';

const RUNS = 50;
/**
 * fast-check's parameters: RUNS random cases per property. A failure that hangs the tree
 * costs up to LIVENESS_MS per case while shrinking, so shrinking stops after 40 s and
 * reports the smallest counterexample found so far (with its seed) before ava's timeout.
 */
const PARAMS = { numRuns: RUNS, interruptAfterTimeLimit: 40_000 };

/**
 * Checks a property and asserts that it held. A failure's message is fast-check's report
 * (seed, path, shrunk counterexample) followed by what broke and the event log.
 */
async function holds<Ts>(t: ExecutionContext, property: fc.IAsyncProperty<Ts>): Promise<void> {
  const details = await fc.check(property, PARAMS);
  if (details.failed) {
    const e = details.errorInstance;
    t.fail(`${fc.defaultReportMessage(details) ?? ''}\n\n${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  t.true(details.numRuns > 0, 'no case ran');
}

// ------------------------------------------------------------------ trees

interface WorkerNode {
  readonly kind: 'worker';
  readonly restart: RestartType;
  /** Significant when its supervisor has an autoShutdown and it is not permanent. */
  readonly significant: boolean;
  readonly shutdown: Shutdown;
  /** Its first `failRestarts` restarts fail (init throws), so its supervisor marks it restarting and retries. */
  readonly failRestarts: number;
}

interface SupNode {
  readonly kind: 'supervisor';
  readonly restart: RestartType;
  readonly significant: boolean;
  readonly strategy: Strategy;
  readonly autoShutdown: AutoShutdown;
  readonly intensity: number;
  readonly period: number;
  readonly backoff: Backoff | null;
  readonly children: readonly TreeNode[];
}

type TreeNode = WorkerNode | SupNode;

type KillHow = 'crash' | 'kill' | 'shutdown' | 'normal';

interface Kill {
  /** Aim at the root itself (one kill in twenty), else at another live actor of the tree. */
  readonly atRoot: boolean;
  /** Index into the tree's other live actors at the time (modulo their count). */
  readonly pick: number;
  readonly how: KillHow;
}

const restartArb = fc.constantFrom<RestartType>('permanent', 'transient', 'temporary');
const shutdownArb = fc.constantFrom<Shutdown>(1000, 'infinity', 'brutal_kill');
const failRestartsArb = fc.constantFrom(0, 0, 0, 1, 2);
// Half of them give up within a few restarts, half tolerate many.
const intensityArb = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 6, max: 50 }));
// 1 ms: restarts leave the window almost at once; 5000 ms: they add up.
const periodArb = fc.constantFrom(1, 20, 1000, 5000);
const killHowArb = fc.constantFrom<KillHow>('crash', 'kill', 'shutdown', 'normal');
/** One in twenty. */
const rarelyArb = fc.integer({ min: 0, max: 19 }).map((n) => n === 0);

const workerArb: fc.Arbitrary<WorkerNode> = fc.record({
  kind: fc.constant('worker' as const),
  restart: restartArb,
  significant: fc.boolean(),
  shutdown: shutdownArb,
  failRestarts: failRestartsArb,
});

/** A supervisor whose subtree has at most `depth` levels of supervisors. */
function supArb(depth: number): fc.Arbitrary<SupNode> {
  const child: fc.Arbitrary<TreeNode> = depth <= 1 ? workerArb : fc.oneof(workerArb, supArb(depth - 1));
  return fc.record({
    kind: fc.constant('supervisor' as const),
    restart: restartArb,
    significant: fc.boolean(),
    strategy: fc.constantFrom<Strategy>('one_for_one', 'one_for_all', 'rest_for_one'),
    autoShutdown: fc.constantFrom<AutoShutdown>('never', 'never', 'any_significant', 'all_significant'),
    intensity: intensityArb,
    period: periodArb,
    // Mostly OTP's immediate restarts; sometimes a short backoff (a timer between exit and restart).
    backoff: fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.record({ initialMs: fc.integer({ min: 1, max: 3 }), maxMs: fc.constant(5) }) },
    ),
    children: fc.array(child, { minLength: 1, maxLength: 5 }),
  });
}

const treeArb: fc.Arbitrary<SupNode> = fc.integer({ min: 1, max: 3 }).chain(supArb);

const killsArb: fc.Arbitrary<Kill[]> = fc.array(
  fc.record({
    atRoot: rarelyArb,
    pick: fc.nat({ max: 1000 }),
    how: killHowArb,
  }),
  { minLength: 1, maxLength: 10 },
);

// ------------------------------------------------------------------ recording

/** One recorded event. `sup` is the id of the supervisor actor that started the child ('' for the root). */
interface TreeEvent {
  readonly kind: 'start' | 'stop';
  readonly path: string;
  readonly actor: ActorRef;
  readonly sup: string;
  /** The child's position in its supervisor's children (start order). */
  readonly pos: number;
  readonly restart: RestartType;
  /** For stops: the reason terminate got. */
  readonly reason?: unknown;
  /** For stops: true when the actor stopped by itself (a crash, its own `stop`), not on its parent's signal. */
  readonly own?: boolean;
}

/** Where the actors of one tree write their events. */
class Recording {
  readonly events: TreeEvent[] = [];
  /** Every actor of the tree ever started. */
  readonly actors: ActorRef[] = [];
  /** Invariant (b) violations, found at start time. */
  readonly overlaps: string[] = [];
  /** The last actor started under each (supervisor, child id). */
  readonly #current = new Map<string, ActorRef>();
  /** Start attempts per path, across supervisor restarts. */
  readonly #attempts = new Map<string, number>();

  constructor(readonly system: ActorSystem) {}

  /** Counts a start attempt at `path`; returns how many came before it. */
  attempt(path: string): number {
    const n = this.#attempts.get(path) ?? 0;
    this.#attempts.set(path, n + 1);
    return n;
  }

  started(actor: ActorRef, at: Place): void {
    const key = `${at.sup}/${at.pos}`;
    const prev = this.#current.get(key);
    if (prev !== undefined && this.system.isAlive(prev)) {
      this.overlaps.push(`${at.path}: ${actor.id} started under supervisor ${at.sup || '(none)'} while ${prev.id} still runs there`);
    }
    this.#current.set(key, actor);
    this.actors.push(actor);
    this.events.push({ kind: 'start', path: at.path, actor, sup: at.sup, pos: at.pos, restart: at.restart });
  }

  stopped(actor: ActorRef, at: Place, reason: unknown, own: boolean): void {
    this.events.push({ kind: 'stop', path: at.path, actor, sup: at.sup, pos: at.pos, restart: at.restart, reason, own });
  }
}

/** Where an actor sits in the tree. */
interface Place {
  readonly rec: Recording;
  readonly path: string;
  readonly sup: string;
  readonly pos: number;
  readonly restart: RestartType;
}

interface WorkerPlace extends Place {
  readonly failRestarts: number;
}

interface RecorderProtocol {
  cast: { type: 'crash' };
}

/**
 * A worker that traps exits and records its start and stop. A cast makes it crash; an
 * exit signal from outside the tree (`exit(ref, 'shutdown')`) makes it stop with that reason.
 */
class Recorder extends GenServer<RecorderProtocol, undefined, WorkerPlace> {
  #at!: Place;
  #own = false;

  override init(at: WorkerPlace): void {
    const n = at.rec.attempt(at.path);
    if (n > 0 && n <= at.failRestarts) throw new Error(`restart ${n} of ${at.path} refused`);
    this.trapExit(true);
    this.#at = at;
    at.rec.started(this.self, at);
  }

  override handleCast(_msg: { type: 'crash' }): void {
    this.#own = true;
    throw new Error('crash requested');
  }

  override handleInfo(msg: SystemInfo): void {
    // Its parent's EXIT never gets here (the runtime stops the actor for it).
    if (msg.type === 'EXIT') {
      this.#own = true;
      this.stop(msg.reason);
    }
  }

  override terminate(reason: ExitReason): void {
    this.#at.rec.stopped(this.self, this.#at, reason, this.#own);
  }
}

interface SupPlace extends Place {
  readonly node: SupNode;
}

/** A supervisor built from a tree node that records its start and stop like the workers. */
class RecSupervisor extends Supervisor<SupPlace> {
  #at!: SupPlace;
  #own = false;

  protected override configure(at: SupPlace): SupervisorDef {
    const { node } = at;
    return {
      strategy: node.strategy,
      intensity: node.intensity,
      period: node.period,
      autoShutdown: node.autoShutdown,
      ...(node.backoff === null ? {} : { backoff: node.backoff }),
      children: node.children.map((c, i) => specOf(at.rec, c, `${at.path}/${i}`, i, node.autoShutdown !== 'never')),
    };
  }

  override init(at: SupPlace): Promise<void> {
    this.#at = at;
    at.rec.started(this.self, at);
    return super.init(at);
  }

  /** Every stop the supervisor asks for itself: it gave up, auto-shutdown, or an outside exit signal. */
  override stop(reason?: ExitReason): void {
    this.#own = true;
    super.stop(reason);
  }

  override terminate(reason?: ExitReason): Promise<void> {
    this.#at.rec.stopped(this.self, this.#at, reason, this.#own);
    return super.terminate();
  }
}

function specOf(rec: Recording, node: TreeNode, path: string, pos: number, autoShutdown: boolean): ChildSpec {
  const id = `c${pos}`;
  const restart = node.restart;
  const significant = node.significant && autoShutdown && restart !== 'permanent';
  if (node.kind === 'worker') {
    return { id, restart, significant, shutdown: node.shutdown, start: (st) => st.startLink(Recorder, { rec, path, sup: st.supervisor.id, pos, restart, failRestarts: node.failRestarts }) };
  }
  return { id, restart, significant, type: 'supervisor', start: (st) => st.startLink(RecSupervisor, { rec, path, sup: st.supervisor.id, pos, restart, node }) };
}

// ------------------------------------------------------------------ quiescence

/** The tree as its live supervisors list it. */
interface Walk {
  /** False if a supervisor died during the walk, a child is `restarting`, or a listed child is dead (an EXIT not handled yet). */
  readonly settled: boolean;
  readonly why: string;
  readonly supervisors: readonly { readonly ref: ActorRef; readonly children: readonly ChildEntry[] }[];
  /** The root (if alive) and every listed actor. */
  readonly actors: readonly ActorRef[];
  readonly signature: string;
}

async function walk(system: ActorSystem, root: ActorRef): Promise<Walk> {
  const supervisors: { ref: ActorRef; children: ChildEntry[] }[] = [];
  const actors: ActorRef[] = [];
  if (!system.isAlive(root)) return { settled: true, why: '', supervisors, actors, signature: 'dead' };
  actors.push(root);
  const queue: ActorRef[] = [root];
  let why = '';
  while (queue.length > 0) {
    const sup = queue.shift()!;
    let children: ChildEntry[];
    try {
      children = await Supervisor.whichChildren(sup);
    } catch {
      why ||= `supervisor ${sup.id} died while listed`;
      continue;
    }
    supervisors.push({ ref: sup, children });
    for (const c of children) {
      if (c.ref === 'restarting') why ||= `${sup.id}/${c.id} is restarting`;
      else if (c.ref !== undefined) {
        if (!system.isAlive(c.ref)) why ||= `${sup.id}/${c.id} is listed as ${c.ref.id}, which is dead`;
        actors.push(c.ref);
        if (c.type === 'supervisor') queue.push(c.ref);
      }
    }
  }
  const signature = supervisors.map((s) => `${s.ref.id}[${s.children.map((c) => `${c.id}=${typeof c.ref === 'object' ? c.ref.id : String(c.ref)}`).join(',')}]`).join(' ');
  return { settled: why === '', why, supervisors, actors, signature };
}

/** Bound on every wait: a hang fails the property with a message instead of timing out the test. */
const LIVENESS_MS = 5000;

/** Waits until two walks in a row, a macrotask turn apart, see the same settled tree. */
async function quiesce(system: ActorSystem, root: ActorRef): Promise<Walk> {
  const until = Date.now() + LIVENESS_MS;
  let last = await walk(system, root);
  for (;;) {
    await settle();
    const next = await walk(system, root);
    if (last.settled && next.settled && next.signature === last.signature) return next;
    if (Date.now() > until) throw new Error(`the tree never settled: ${next.why || 'it kept changing'}`);
    if (!next.settled) await sleep(1);
    last = next;
  }
}

function whenDead(system: ActorSystem, ref: ActorRef, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not exit`)), LIVENESS_MS);
    system.monitor(ref, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function applyKill(system: ActorSystem, target: ActorRef, how: KillHow): void {
  switch (how) {
    case 'crash':
      // Recorder throws on it; a supervisor has no handleCast, so it crashes too.
      system.cast(target as ActorRef<RecorderProtocol>, { type: 'crash' });
      return;
    case 'kill':
      system.exit(target, 'kill');
      return;
    case 'shutdown':
      system.exit(target, 'shutdown');
      return;
    case 'normal':
      system.stop(target, 'normal', { timeout: Infinity }).catch(() => {});
      return;
  }
}

// ------------------------------------------------------------------ one scenario

interface Outcome {
  readonly rec: Recording;
  /** Invariant (a) violations, after each kill. */
  readonly notRunning: string[];
  /** What was left alive after stopping the root, and the system size before and after. */
  readonly leftAlive: string[];
  readonly sizeBefore: number;
  readonly sizeAfter: number;
}

/** Invariant (a) on a settled tree: the permanent children of every live supervisor that are not running. */
function permanentNotRunning(state: Walk, when: string): string[] {
  const out: string[] = [];
  for (const s of state.supervisors) {
    for (const c of s.children) {
      if (c.restart === 'permanent' && (c.ref === undefined || c.ref === 'restarting')) {
        out.push(`${when}: permanent child ${c.id} of live supervisor ${s.ref.id} is ${String(c.ref)}`);
      }
    }
  }
  return out;
}

/**
 * Starts the tree, applies the kills, checks (a), then stops the root. `calm`: the tree
 * settles after each kill and (a) is checked each time. Eager: the next kill follows after
 * 0 to 3 microtask turns (sometimes one macrotask), so kills land while supervisors are
 * still restarting, at any live actor of the tree (or a not-yet-dead orphan); (a) is
 * checked once the tree has settled after the last one.
 */
async function runScenario(tree: SupNode, kills: readonly Kill[], pace: 'calm' | 'eager' = 'calm'): Promise<Outcome> {
  const system = createSystem({ name: 'props', logger: createLogger('silent') });
  const rec = new Recording(system);
  const notRunning: string[] = [];
  try {
    const sizeBefore = system.size;
    const root = await RecSupervisor.start(system, { rec, path: 'root', sup: '', pos: 0, restart: 'permanent', node: tree });
    let state = await quiesce(system, root);
    for (const [step, k] of kills.entries()) {
      if (pace === 'eager') {
        const live = rec.actors.filter((a) => a !== root && system.isAlive(a));
        const target = (k.atRoot || live.length === 0) && system.isAlive(root) ? root : live[k.pick % live.length];
        if (target === undefined) break;
        applyKill(system, target, k.how);
        for (let i = 0; i < k.pick % 4; i++) await Promise.resolve();
        if (k.pick % 5 === 0) await settle();
        continue;
      }
      if (state.actors.length === 0) break;
      const [rootRef, ...others] = state.actors;
      const target = k.atRoot || others.length === 0 ? rootRef! : others[k.pick % others.length]!;
      applyKill(system, target, k.how);
      await whenDead(system, target, `${target.id} after ${k.how}`);
      state = await quiesce(system, root);
      notRunning.push(...permanentNotRunning(state, `after kill #${step} (${k.how})`));
    }
    if (pace === 'eager') notRunning.push(...permanentNotRunning(await quiesce(system, root), 'once settled after the kills'));
    if (system.isAlive(root)) {
      await system.stop(root, 'shutdown', { timeout: LIVENESS_MS });
    } else {
      // The root died during the kills (it gave up, or was hit): its orphans die through their links.
      await eventually(() => rec.actors.every((a) => !system.isAlive(a)), LIVENESS_MS);
    }
    const leftAlive = rec.actors.filter((a) => system.isAlive(a)).map((a) => a.id);
    return { rec, notRunning, leftAlive, sizeBefore, sizeAfter: system.size };
  } finally {
    await system.shutdown({ timeout: 1000 });
  }
}

/** A readable event log for failure messages. */
function describeLog(events: readonly TreeEvent[]): string {
  return events
    .map((e) => `${e.kind} ${e.path} ${e.actor.id} sup=${e.sup || '-'} pos=${e.pos}${e.kind === 'stop' ? ` reason=${String(e.reason)}${e.own ? ' (own)' : ''}` : ''}`)
    .join('\n');
}

/** Invariant (c): the stops each supervisor ordered between two starts under it, as positions. */
function reverseOrderViolations(events: readonly TreeEvent[]): string[] {
  const bySup = new Map<string, TreeEvent[]>();
  for (const e of events) {
    if (e.sup === '') continue;
    let list = bySup.get(e.sup);
    if (list === undefined) bySup.set(e.sup, (list = []));
    list.push(e);
  }
  const out: string[] = [];
  for (const [sup, list] of bySup) {
    let batch: TreeEvent[] = [];
    const check = (): void => {
      for (let i = 1; i < batch.length; i++) {
        if (batch[i]!.pos >= batch[i - 1]!.pos) {
          out.push(`supervisor ${sup} stopped children in the order ${batch.map((e) => e.path).join(', ')}`);
          return;
        }
      }
    };
    for (const e of list) {
      if (e.kind === 'start') {
        check();
        batch = [];
      } else if (e.reason === 'shutdown' && e.own === false) {
        batch.push(e);
      }
    }
    check();
  }
  return out;
}

/** Part of invariant (a): a temporary child is started at most once by one supervisor. */
function temporaryRestarts(events: readonly TreeEvent[]): string[] {
  const starts = new Map<string, number>();
  const out: string[] = [];
  for (const e of events) {
    if (e.kind !== 'start' || e.restart !== 'temporary' || e.sup === '') continue;
    const key = `${e.sup}/${e.pos}`;
    const n = (starts.get(key) ?? 0) + 1;
    starts.set(key, n);
    if (n === 2) out.push(`temporary child ${e.path} was started again by supervisor ${e.sup}`);
  }
  return out;
}

function fail(what: string, problems: readonly string[], rec: Recording): never {
  throw new Error(`${what}:\n  ${problems.join('\n  ')}\nevent log:\n${describeLog(rec.events)}`);
}

// ------------------------------------------------------------------ properties

test('(a) after any kills, every permanent child of a live supervisor runs, and temporary children never restart', async (t) => {
  await holds(
    t,
    fc.asyncProperty(treeArb, killsArb, async (tree, kills) => {
      const o = await runScenario(tree, kills);
      if (o.notRunning.length > 0) fail('a permanent child is not running', o.notRunning, o.rec);
      const again = temporaryRestarts(o.rec.events);
      if (again.length > 0) fail('a temporary child restarted', again, o.rec);
    }),
  );
});

test('(b) no two live actors ever run under one (supervisor, child id)', async (t) => {
  await holds(
    t,
    fc.asyncProperty(treeArb, killsArb, async (tree, kills) => {
      const o = await runScenario(tree, kills);
      if (o.rec.overlaps.length > 0) fail('two actors under one child id', o.rec.overlaps, o.rec);
    }),
  );
});

test('(c) a supervisor stopping several children at once stops them in reverse start order', async (t) => {
  await holds(
    t,
    fc.asyncProperty(treeArb, killsArb, async (tree, kills) => {
      const o = await runScenario(tree, kills);
      const bad = reverseOrderViolations(o.rec.events);
      if (bad.length > 0) fail('children stopped out of reverse start order', bad, o.rec);
    }),
  );
});

test('(d) stopping the root with shutdown leaves no actor of the tree alive and system.size where it was', async (t) => {
  await holds(
    t,
    fc.asyncProperty(treeArb, killsArb, async (tree, kills) => {
      const o = await runScenario(tree, kills);
      if (o.leftAlive.length > 0) fail('actors alive after the root stopped', o.leftAlive, o.rec);
      if (o.sizeAfter !== o.sizeBefore) fail('system.size changed', [`before ${o.sizeBefore}, after ${o.sizeAfter}`], o.rec);
    }),
  );
});

test('(e) kills that land while the tree is still restarting keep (a) to (d)', async (t) => {
  await holds(
    t,
    fc.asyncProperty(treeArb, killsArb, async (tree, kills) => {
      const o = await runScenario(tree, kills, 'eager');
      if (o.notRunning.length > 0) fail('a permanent child is not running', o.notRunning, o.rec);
      const problems = [...temporaryRestarts(o.rec.events), ...o.rec.overlaps, ...reverseOrderViolations(o.rec.events), ...o.leftAlive.map((id) => `${id} alive after the root stopped`)];
      if (o.sizeAfter !== o.sizeBefore) problems.push(`system.size ${o.sizeBefore} before, ${o.sizeAfter} after`);
      if (problems.length > 0) fail('an invariant broke under eager kills', problems, o.rec);
    }),
  );
});

// ------------------------------------------------------------------ DynamicSupervisor

type DynOp =
  | { readonly kind: 'start'; readonly restart: RestartType; readonly shutdown: Shutdown; readonly failRestarts: number }
  | { readonly kind: 'kill'; readonly atSupervisor: boolean; readonly pick: number; readonly how: KillHow }
  | { readonly kind: 'terminate'; readonly pick: number };

interface DynCase {
  readonly intensity: number;
  readonly period: number;
  readonly maxChildren: number;
  readonly ops: readonly DynOp[];
}

const dynCaseArb: fc.Arbitrary<DynCase> = fc.record({
  intensity: intensityArb,
  period: periodArb,
  maxChildren: fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 4 })),
  ops: fc.array(
    fc.oneof(
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('start' as const), restart: restartArb, shutdown: shutdownArb, failRestarts: failRestartsArb }) },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('kill' as const),
          atSupervisor: rarelyArb,
          pick: fc.nat({ max: 1000 }),
          how: killHowArb,
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('terminate' as const), pick: fc.nat({ max: 1000 }) }) },
    ),
    { minLength: 1, maxLength: 15 },
  ),
});

/** Waits until the dynamic supervisor is dead, or answers twice in a row with no child restarting and every listed child alive. */
async function quiesceDynamic(system: ActorSystem, sup: ActorRef<DynamicSupervisorProtocol>): Promise<ChildEntry[]> {
  const until = Date.now() + LIVENESS_MS;
  let last = '';
  for (;;) {
    if (!system.isAlive(sup)) return [];
    let children: ChildEntry[] | undefined;
    try {
      children = await DynamicSupervisor.whichChildren(sup);
    } catch {
      children = undefined;
    }
    const settled = children !== undefined && children.every((c) => typeof c.ref === 'object' && system.isAlive(c.ref));
    const signature = children === undefined ? '' : children.map((c) => (typeof c.ref === 'object' ? c.ref.id : String(c.ref))).join(',');
    if (settled && signature === last) return children!;
    if (Date.now() > until) throw new Error('the dynamic supervisor never settled');
    last = settled ? signature : '';
    await settle();
  }
}

interface DynOutcome {
  readonly rec: Recording;
  readonly problems: string[];
}

async function runDynamic(c: DynCase): Promise<DynOutcome> {
  const system = createSystem({ name: 'props-dyn', logger: createLogger('silent') });
  const rec = new Recording(system);
  const problems: string[] = [];
  try {
    const sizeBefore = system.size;
    const sup = await DynamicSupervisor.start(system, { intensity: c.intensity, period: c.period, maxChildren: c.maxChildren });
    /** The children it must keep running: permanent, started, not terminated through the API. */
    const kept = new Map<number, 'kept' | 'terminated'>();
    let children: ChildEntry[] = [];
    for (const [i, op] of c.ops.entries()) {
      if (!system.isAlive(sup)) break;
      if (op.kind === 'start') {
        const restart = op.restart;
        const r = await DynamicSupervisor.startChild(sup, {
          restart,
          shutdown: op.shutdown,
          start: (st) => st.startLink(Recorder, { rec, path: `dyn/${i}`, sup: st.supervisor.id, pos: i, restart, failRestarts: op.failRestarts }),
        });
        if (r.status === 'ok' && restart === 'permanent') kept.set(i, 'kept');
        if (r.status !== 'ok' && !(children.length >= c.maxChildren && r.status === 'error')) problems.push(`startChild #${i} answered ${r.status} with ${children.length} of ${c.maxChildren} children`);
      } else if (op.kind === 'terminate') {
        const target = children[op.pick % Math.max(1, children.length)]?.ref;
        if (typeof target !== 'object') continue;
        const pos = rec.events.find((e) => e.actor === target)?.pos;
        const answer = await DynamicSupervisor.terminateChild(sup, target);
        if (answer !== 'ok') problems.push(`terminateChild of live child ${target.id} answered ${answer}`);
        if (system.isAlive(target)) problems.push(`terminateChild resolved with ${target.id} still alive`);
        if (pos !== undefined && kept.has(pos)) kept.set(pos, 'terminated');
      } else {
        const live = children.map((e) => e.ref).filter((r): r is ActorRef => typeof r === 'object');
        if (!op.atSupervisor && live.length === 0) continue;
        const target = op.atSupervisor ? sup : live[op.pick % live.length]!;
        applyKill(system, target, op.how);
        await whenDead(system, target, `${target.id} after ${op.how}`);
      }
      children = await quiesceDynamic(system, sup);
      if (children.length > c.maxChildren) problems.push(`after op #${i}: ${children.length} children, maxChildren ${c.maxChildren}`);
      if (system.isAlive(sup)) {
        for (const [pos, state] of kept) {
          if (state !== 'kept') continue;
          const last = rec.events.filter((e) => e.kind === 'start' && e.pos === pos).at(-1);
          if (last === undefined || !system.isAlive(last.actor)) problems.push(`after op #${i} (${op.kind}): permanent child dyn/${pos} is not running`);
        }
      }
    }
    if (system.isAlive(sup)) await system.stop(sup, 'shutdown', { timeout: LIVENESS_MS });
    else await eventually(() => rec.actors.every((a) => !system.isAlive(a)), LIVENESS_MS);
    for (const a of rec.actors) if (system.isAlive(a)) problems.push(`${a.id} alive after the supervisor stopped`);
    if (system.size !== sizeBefore) problems.push(`system.size ${sizeBefore} before, ${system.size} after`);
    problems.push(...rec.overlaps, ...temporaryRestarts(rec.events));
    return { rec, problems };
  } finally {
    await system.shutdown({ timeout: 1000 });
  }
}

test('(f) a DynamicSupervisor keeps its permanent children, holds at most maxChildren, and frees every actor when stopped', async (t) => {
  await holds(
    t,
    fc.asyncProperty(dynCaseArb, async (c) => {
      const o = await runDynamic(c);
      if (o.problems.length > 0) fail('a DynamicSupervisor invariant broke', o.problems, o.rec);
    }),
  );
});
