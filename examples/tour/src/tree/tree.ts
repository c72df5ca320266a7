/**
 * Part two of the tour: a supervision tree that recovers from crashes, inspected with
 * the debug dump.
 *
 * ```
 * shop (one_for_one)
 * ├─ names      Registry (unique keys)
 * ├─ inventory  Service
 * ├─ orders     Supervisor (rest_for_one, intensity 2): queue, processor, notifier
 * ├─ sessions   DynamicSupervisor: one Session per user, named session:<user> in `names`
 * ├─ mail       Supervisor (one_for_one, backoff): mailer
 * └─ debug      DebugEndpoint (the dump on a Unix socket, for `npx arbor dump`)
 * ```
 *
 * Every figure in the returned {@link TreeSummary} is read from the running system.
 */
import {
  childSpec,
  createLogger,
  createSystem,
  dump,
  DynamicSupervisor,
  formatReason,
  Registry,
  renderDump,
  startApplication,
  Supervisor,
  type ActorRef,
  type ActorSystem,
  type Dump,
  type DumpNode,
  type LogLevel,
  type RegistryHandle,
  type SupervisorProtocol,
} from '@arbor/core';
import { DebugEndpoint, fetchDump, type DebugEndpointProtocol } from '@arbor/debug';
import { Flaky, type FlakyArg } from './Flaky.js';
import { Service, type ServiceProtocol } from './Service.js';

/** What the tree scenes observed. */
export interface TreeSummary {
  /** The root's children, in start order. */
  readonly rootChildren: readonly string[];
  /** rest_for_one: processor crashed; whether queue kept its ref, and processor and notifier got new ones. */
  readonly restForOne: { readonly queueKept: boolean; readonly processorNew: boolean; readonly notifierNew: boolean };
  /** The crashed session was restarted and found again by its registry key. */
  readonly sessionFoundAgain: boolean;
  /** What the restarted session answers. */
  readonly sessionReply: string;
  /** The mailer's status in the dump while its restarts were failing. */
  readonly mailerStatusWhileDown: string;
  /** How many mailer starts failed before it came up. */
  readonly mailerFailedStarts: number;
  /** The mailer's restart count in the final dump. */
  readonly mailerRestarts: number;
  /** Escalation: the orders supervisor gave up and the root restarted it. */
  readonly ordersRestartedByRoot: boolean;
  /** The root's restart count for `orders` and the reason its last instance exited with. */
  readonly ordersRestarts: number;
  readonly ordersLastExit: string;
  /** The dump fetched over the debug endpoint has the same tree shape as the local one. */
  readonly endpointDumpMatches: boolean;
  /** The journal of stops during the ordered shutdown. */
  readonly shutdownJournal: readonly string[];
  /** How the application stopped. */
  readonly stopResult: string;
  /** Actors alive after the stop. */
  readonly actorsAfterStop: number;
}

/** Polls `cond` every 2 ms until it holds (at most `ms`). */
async function until(cond: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('the tree did not reach the expected state in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** The child's current ref, or undefined (restarting, stopped, or the supervisor is gone). */
async function childRef(sup: ActorRef<SupervisorProtocol>, id: string): Promise<ActorRef | undefined> {
  const children = await Supervisor.whichChildren(sup).catch(() => []);
  const c = children.find((x) => x.id === id);
  return c === undefined || c.ref === 'restarting' ? undefined : c.ref;
}

function find(d: Dump, path: readonly string[]): DumpNode | undefined {
  let nodes: readonly DumpNode[] = d.roots;
  let node: DumpNode | undefined;
  for (const id of path) {
    node = nodes.find((n) => n.childId === id || n.names.includes(id));
    if (node === undefined) return undefined;
    nodes = node.children;
  }
  return node;
}

function shape(nodes: readonly DumpNode[]): unknown {
  return nodes.map((n) => [n.childId ?? n.behaviour, shape(n.children)]);
}

/**
 * Runs the tree scenes on a fresh system, printing as it goes; stops the application
 * before it returns.
 *
 * @example
 * const summary = await runTree(console.log);
 */
export async function runTree(print: (line: string) => void, options: { logLevel?: LogLevel } = {}): Promise<TreeSummary> {
  const system: ActorSystem = createSystem({ name: 'shop', logger: createLogger(options.logLevel) });
  const journal: string[] = [];
  const failures: FlakyArg['failures'] = { left: 0, seen: 0 };
  const service = (name: string) => childSpec(Service, { name, journal }, { id: name });

  print('');
  print('Part two: a supervision tree that recovers, seen through the debug dump');
  const app = await startApplication(
    {
      strategy: 'one_for_one',
      intensity: 5,
      children: [
        childSpec(Registry, { keys: 'unique', name: 'names' }, { id: 'names' }),
        service('inventory'),
        Supervisor.childSpec({ strategy: 'rest_for_one', intensity: 2, period: 5000, children: [service('queue'), service('processor'), service('notifier')] }, { id: 'orders' }),
        DynamicSupervisor.childSpec({ maxChildren: 100 }, { id: 'sessions' }),
        Supervisor.childSpec({ backoff: { initialMs: 10, maxMs: 100 }, intensity: 10, children: [childSpec(Flaky, { failures }, { id: 'mailer' })] }, { id: 'mail' }),
        childSpec(DebugEndpoint, undefined, { id: 'debug' }),
      ],
    },
    { system, name: 'shop', signals: false, shutdownTimeout: 5000 },
  );
  const root = app.root;
  const names = Registry.named<string, undefined, ServiceProtocol>(system, 'names') as RegistryHandle<string, undefined, ServiceProtocol>;
  const sessions = (await childRef(root, 'sessions')) as ActorRef;
  for (const user of ['alice', 'bob', 'carol']) {
    await DynamicSupervisor.startChild(sessions as never, {
      start: (s) => s.startLink(Service, { name: `session:${user}`, journal }, { name: names.via(`session:${user}`) }),
    });
  }
  const rootChildren = (await Supervisor.whichChildren(root)).map((c) => c.id);
  print('');
  print(`1. The tree is up: root children ${rootChildren.join(', ')}; three sessions registered in 'names'.`);
  print(renderDump(dump(system)));

  // ------------------------------------------------------------------ rest_for_one
  const orders = (await childRef(root, 'orders')) as ActorRef<SupervisorProtocol>;
  const [queue, processor, notifier] = await Promise.all(['queue', 'processor', 'notifier'].map((id) => childRef(orders, id)));
  system.cast(processor as ActorRef<ServiceProtocol>, { type: 'crash', why: 'deliberate crash of the processor' });
  await until(async () => (await childRef(orders, 'notifier')) !== undefined && (await childRef(orders, 'notifier')) !== notifier);
  const restForOne = {
    queueKept: (await childRef(orders, 'queue')) === queue,
    processorNew: (await childRef(orders, 'processor')) !== processor,
    notifierNew: (await childRef(orders, 'notifier')) !== notifier,
  };
  print('');
  print(
    `2. rest_for_one: the processor crashed; queue kept its ref (${restForOne.queueKept}), processor (${restForOne.processorNew}) and notifier (${restForOne.notifierNew}) were restarted.`,
  );

  // ------------------------------------------------------------------ dynamic + registry
  const bob = names.whereis('session:bob')!;
  system.cast(bob, { type: 'crash', why: "deliberate crash of bob's session" });
  await until(() => names.whereis('session:bob') !== undefined && names.whereis('session:bob') !== bob);
  const sessionReply = await system.call(names.whereis('session:bob')!, { type: 'ping' });
  const sessionFoundAgain = system.isAlive(names.whereis('session:bob')!);
  print('');
  print(`3. bob's session crashed; its dynamic supervisor restarted it and the registry finds it again: "${sessionReply}".`);

  // ------------------------------------------------------------------ failing restarts with backoff
  const mail = (await childRef(root, 'mail')) as ActorRef<SupervisorProtocol>;
  const mailer = (await childRef(mail, 'mailer')) as ActorRef<ServiceProtocol>;
  failures.left = 3;
  system.cast(mailer, { type: 'crash', why: 'deliberate crash of the mailer' });
  await until(() => failures.seen >= 1);
  const mailerStatusWhileDown = find(dump(system), ['shop', 'mail', 'mailer'])?.status ?? 'missing';
  await until(async () => (await childRef(mail, 'mailer')) !== undefined);
  print('');
  print(`4. The mailer crashed and its next ${failures.seen} starts failed: the dump showed it '${mailerStatusWhileDown}' while its supervisor retried with backoff; it is back.`);

  // ------------------------------------------------------------------ escalation
  for (let i = 1; i <= 3 && system.isAlive(orders); i++) {
    const p = await childRef(orders, 'processor');
    if (p === undefined) break;
    system.cast(p as ActorRef<ServiceProtocol>, { type: 'crash', why: `processor crash ${i} of 3` });
    await until(async () => !system.isAlive(orders) || ((await childRef(orders, 'processor')) ?? p) !== p);
  }
  await until(async () => {
    const o = await childRef(root, 'orders');
    return o !== undefined && o !== orders;
  });
  const ordersRestartedByRoot = !system.isAlive(orders);
  const final = dump(system);
  const ordersNode = find(final, ['shop', 'orders']);
  print('');
  print(
    `5. Three more processor crashes exceeded orders' intensity (2 in 5 s): orders gave up with ${ordersNode?.lastExit ?? 'none'} and the root restarted it.`,
  );
  print(renderDump(final));

  // ------------------------------------------------------------------ the endpoint
  const debug = (await childRef(root, 'debug')) as ActorRef<DebugEndpointProtocol>;
  const endpoint = await system.call(debug, { type: 'endpoint' });
  const remote = await fetchDump(endpoint, { timeout: 2000 });
  const endpointDumpMatches = JSON.stringify(shape(remote.roots)) === JSON.stringify(shape(final.roots));
  print('');
  print(`6. The debug endpoint serves the same tree on ${endpoint}; while an application runs, \`npx arbor dump\` prints it.`);

  // ------------------------------------------------------------------ ordered stop
  journal.length = 0;
  const stopResult = await app.stop();
  print('');
  print(`7. app.stop(): ${stopResult}. Each supervisor stopped its children in reverse start order, depth first (the dynamic one all at once):`);
  for (const line of journal) print(`   ${line}`);
  return {
    rootChildren,
    restForOne,
    sessionFoundAgain,
    sessionReply,
    mailerStatusWhileDown,
    mailerFailedStarts: failures.seen,
    mailerRestarts: find(final, ['shop', 'mail', 'mailer'])?.restarts ?? -1,
    ordersRestartedByRoot,
    ordersRestarts: ordersNode?.restarts ?? -1,
    ordersLastExit: ordersNode?.lastExit ?? 'none',
    endpointDumpMatches,
    shutdownJournal: [...journal],
    stopResult,
    actorsAfterStop: system.size,
  };
}
