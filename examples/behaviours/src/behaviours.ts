/**
 * examples/behaviours: behaviours built on the extension API (`Behaviour`) besides
 * GenServer: an `Agent` holding a hit counter, `Task`s run from an actor and awaited in
 * parallel, and a `TaskSupervisor` whose crashing task is an error for its caller, not a
 * crash. The dump shows what each behaviour's `formatStatus` reports.
 *
 * ```
 * app (one_for_one)
 * ├─ hits   Agent (a counter; a bad update crashes it and the supervisor restarts it from 0)
 * ├─ tasks  TaskSupervisor
 * └─ report Report (a GenServer that fans out to tasks)
 * ```
 */
import {
  Agent,
  createLogger,
  createSystem,
  dump,
  GenServer,
  renderDump,
  Supervisor,
  Task,
  TaskExitError,
  TaskSupervisor,
  TaskTimeoutError,
  childSpec,
  type AgentRef,
  type Call,
  type LogLevel,
  type TaskSupervisorRef,
} from '@arbor/core';

/** What the behaviours scene observed. */
export interface BehavioursSummary {
  /** The agent's count before the crash, and after the supervisor restarted it. */
  readonly hitsBefore: number;
  readonly hitsAfterRestart: number;
  /** The report built from two tasks that ran in parallel. */
  readonly report: string;
  /** A supervised task that crashed: what its caller got, and whether the caller is alive. */
  readonly nolinkError: string;
  readonly callerAlive: boolean;
  /** A slow task: the await's error code, then what shutdown returned. */
  readonly timeoutCode: string;
  readonly shutdownResult: string;
  /** The dump's line for the agent (with its `state=` detail). */
  readonly agentLine: string;
}

interface ReportProtocol {
  call: Call<'build', string> | Call<'charge', string>;
}

/**
 * A GenServer that runs two lookups as tasks linked to it and awaits both (`build`), or
 * charges through a supervised task it is not linked to (`charge`).
 */
class Report extends GenServer<ReportProtocol> {
  override async handleCall(req: ReportProtocol['call']): Promise<string> {
    if (req.type === 'charge') return this.charge();
    const orders = await Task.async(this, async () => {
      await new Promise((r) => setTimeout(r, 10));
      return 42;
    });
    const users = await Task.async(this, async function lookupUsers() {
      await new Promise((r) => setTimeout(r, 10));
      return ['ada', 'grace'];
    });
    const [o, u] = [await Task.await(orders, 1000), await Task.await(users, 1000)];
    return `${o} orders from ${u.join(' and ')}`;
  }

  /** The task crashes; this actor is not linked to it, so it gets a TaskExitError and runs on. */
  private async charge(): Promise<string> {
    const tasks = this.system.whereis('tasks') as TaskSupervisorRef;
    const failing = await TaskSupervisor.asyncNolink(tasks, () => {
      throw new Error('payment api down');
    });
    return Task.await(failing).then(
      () => 'no error',
      (e: unknown) => (e instanceof TaskExitError ? `${e.code}: ${(e.reason as Error).message}` : String(e)),
    );
  }
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('the behaviours scene did not reach the expected state in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * Runs the behaviours scene on a fresh system, printing as it goes; shuts it down before
 * it returns.
 *
 * @example
 * const summary = await runBehaviours(console.log);
 */
export async function runBehaviours(print: (line: string) => void, options: { logLevel?: LogLevel } = {}): Promise<BehavioursSummary> {
  const system = createSystem({ name: 'behaviours', logger: createLogger(options.logLevel) });
  print('');
  print('Behaviours built on the extension API (Agent, Task, TaskSupervisor)');
  const root = await Supervisor.start(system, {
    strategy: 'one_for_one',
    children: [
      Agent.childSpec(() => 0, { id: 'hits', options: { name: 'hits' } }),
      TaskSupervisor.childSpec({}, { id: 'tasks', options: { name: 'tasks' } }),
      childSpec(Report, undefined, { id: 'report', options: { name: 'report' } }),
    ],
  });

  const hits = system.whereis('hits') as AgentRef<number>;
  for (let i = 0; i < 3; i++) Agent.cast(hits, (n) => n + 1);
  const hitsBefore = await Agent.get(hits, (n) => n);
  print(`  agent: 3 casts, count is ${hitsBefore}; a bad update crashes it...`);
  await Agent.update(hits, () => {
    throw new Error('bad update');
  }).catch(() => undefined);
  await until(() => system.whereis('hits') !== undefined && system.whereis('hits') !== hits);
  const hitsAgain = system.whereis('hits') as AgentRef<number>;
  const hitsAfterRestart = await Agent.get(hitsAgain, (n) => n);
  print(`  ...and its supervisor restarted it from its start function: count is ${hitsAfterRestart}`);
  Agent.cast(hitsAgain, (n) => n + 7);

  const report = await system.call(system.whereis<ReportProtocol>('report')!, { type: 'build' });
  print(`  report (two tasks awaited in parallel): ${report}`);

  const reportRef = system.whereis<ReportProtocol>('report')!;
  const nolinkError = await system.call(reportRef, { type: 'charge' });
  const callerAlive = system.isAlive(reportRef);
  print(`  asyncNolink: the task's crash reached the Report actor as "${nolinkError}"; Report ${callerAlive ? 'runs on' : 'crashed'}`);

  const tasks = system.whereis('tasks') as TaskSupervisorRef;

  const slow = await TaskSupervisor.asyncNolink(tasks, function slowExport(signal) {
    return new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve('exported'), 60_000);
      signal.addEventListener('abort', () => clearTimeout(timer));
    });
  });
  const timeoutCode = await Task.await(slow, 20).then(
    () => 'none',
    (e: unknown) => (e instanceof TaskTimeoutError ? e.code : String(e)),
  );
  print(`  a slow task: await gave ${timeoutCode} and the task kept running; the dump now:`);
  const text = renderDump(dump(system));
  for (const line of text.split('\n')) print(`    ${line}`);
  const agentLine = text.split('\n').find((l) => l.includes('hits: Agent')) ?? '';
  const stopped = await Task.shutdown(slow);
  const shutdownResult = stopped === undefined ? 'stopped before it finished' : stopped.status;
  print(`  Task.shutdown: ${shutdownResult}`);

  await system.stop(root, 'shutdown'); // the root stops its children in order
  await system.shutdown();
  return { hitsBefore, hitsAfterRestart, report, nolinkError, callerAlive, timeoutCode, shutdownResult, agentLine };
}
