/**
 * `worker_start_ms`: milliseconds from asking for a worker to its first reply, median of
 * `workerStarts` starts per contender, interleaved (one of each in turn). Bare: `new Worker`
 * on a MessageChannel echo → first reply; `fork` (IPC json) → first reply; the Python echo
 * (the real interpreter path) → first framed reply. Arbor: `startWorker` over
 * `threadProfile`, `nodeProcessProfile`, `pythonProfile` → first `inc` reply (READY, the
 * process registry and setpriv included). Each worker is stopped after its timing, untimed.
 *
 * `arbor` is the thread figure and `limit` the bare thread; `node_process_ms`, `python_ms`
 * and their bare figures follow as extras with their ratios. Targets: each ratio <= 1.2.
 */
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { ActorSystem } from '@arbor/core';
import type { WorkloadRecord } from '../../record.js';
import type { Sizes } from '../../sizes.js';
import { now } from '../../util.js';
import { ARBOR_WORKER_MODULE, loadArborWorkers, workerRecord, workerSystem, type ArborWorkersApi } from './arbor.js';
import { trackChild, trackPid } from './children.js';
import { median, round3 } from './measure.js';
import { PYTHON_ARBOR_SCRIPT, PYTHON_ECHO, pythonPath } from './python.js';
import { endChild, stdioEndpoint } from './rawTransports.js';

const THREAD_ECHO = new URL('./modules/threadEcho.js', import.meta.url);
const IPC_ECHO = new URL('./modules/ipcEcho.js', import.meta.url);

/** One start: resolves with the milliseconds to the first reply, once the worker is gone again. */
type StartTimer = () => Promise<number>;

const bareThread: StartTimer = async () => {
  const t0 = now();
  const { port1, port2 } = new MessageChannel();
  const w = new Worker(THREAD_ECHO, { workerData: { port: port2 }, transferList: [port2] });
  const reply = once(port1, 'message');
  port1.postMessage(1);
  await reply;
  const ms = now() - t0;
  port1.close();
  await w.terminate();
  return ms;
};

const bareFork: StartTimer = async () => {
  const t0 = now();
  const c = fork(IPC_ECHO, [], { serialization: 'json', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  trackChild(c);
  const reply = once(c, 'message');
  c.send(1);
  await reply;
  const ms = now() - t0;
  await endChild(c, () => c.disconnect());
  return ms;
};

const barePython: StartTimer = async () => {
  const python = pythonPath();
  const t0 = now();
  const { child, endpoint } = stdioEndpoint(python, [PYTHON_ECHO]);
  await new Promise<void>((resolve) => {
    endpoint.onReply(() => resolve());
    endpoint.send(1);
  });
  const ms = now() - t0;
  await endChild(child, () => child.stdin!.end());
  return ms;
};

function arborStart(api: ArborWorkersApi, system: ActorSystem, profile: unknown, name: string): StartTimer {
  let n = 0;
  return async () => {
    const t0 = now();
    const h = await api.startWorker(system, { profile, name: `${name}-${n++}` });
    const v = await h.request('inc', 1);
    const ms = now() - t0;
    trackPid((await h.metadata()).pid);
    await h.stop();
    if (v !== 2) throw new Error(`worker_start_ms: ${name} answered ${v}, not 2`);
    return ms;
  };
}

/**
 * `worker_start_ms` (see the file comment): each profile's start to first reply beside the bare start.
 *
 * @example
 * const record = await workerStartWorkload(QUICK);
 */
export async function workerStartWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const { system, shutdown } = await workerSystem();
  try {
    const api = await loadArborWorkers();
    const timers: Record<string, StartTimer> = { bare_thread: bareThread, bare_fork: bareFork, bare_python: barePython };
    if (typeof api !== 'string') {
      timers['thread'] = arborStart(api, system, api.threadProfile({ module: ARBOR_WORKER_MODULE }), 'bench-start-thread');
      timers['node_process'] = arborStart(api, system, api.nodeProcessProfile({ module: ARBOR_WORKER_MODULE }), 'bench-start-process');
      timers['python'] = arborStart(api, system, api.pythonProfile({ script: PYTHON_ARBOR_SCRIPT, python: pythonPath() }), 'bench-start-python');
    }
    const names = Object.keys(timers);
    const ms: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
    for (const k of names) await timers[k]!(); // warm-up: module caches, the interpreter's page cache
    for (let i = 0; i < sizes.workerStarts; i++) for (const k of names) ms[k]!.push(await timers[k]!());
    const m = (k: string): number => Math.round(median(ms[k] ?? []) * 100) / 100;
    const ratio = (arbor: string, bare: string): number | null => ((ms[arbor]?.length ?? 0) > 0 ? round3(m(arbor) / m(bare)) : null);
    const hasArbor = typeof api !== 'string';
    return workerRecord(hasArbor ? undefined : api, {
      arbor: hasArbor ? m('thread') : 0,
      limit: m('bare_thread'),
      peers: {},
      unit: 'ms',
      better: 'lower',
      targets: [
        { against: 'limit', op: '<=', value: 1.2 },
        { against: 'absolute', of: 'node_process_ratio', op: '<=', value: 1.2 },
        { against: 'absolute', of: 'python_ratio', op: '<=', value: 1.2 },
      ],
      extra: {
        node_process_ms: hasArbor ? m('node_process') : null,
        bare_fork_ms: m('bare_fork'),
        node_process_ratio: ratio('node_process', 'bare_fork'),
        python_ms: hasArbor ? m('python') : null,
        bare_python_ms: m('bare_python'),
        python_ratio: ratio('python', 'bare_python'),
        starts: sizes.workerStarts,
        python: pythonPath(),
      },
    });
  } finally {
    await shutdown();
  }
}
