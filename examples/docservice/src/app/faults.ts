/**
 * The demo's fault routes, served only when the service runs with `--faults`:
 *
 * - `POST /faults/kill-stats-worker`: waits for a stats thread with a job in flight, and
 *   kills its worker actor (`system.exit(ref, 'kill')`), which terminates the thread.
 * - `POST /faults/kill-manager?pool=stats`: kills the pool's manager; its pool supervisor
 *   (one_for_all) restarts the manager and the workers.
 * - `POST /faults/kill-http`: kills the HTTP API actor itself, just after answering; its
 *   supervisor restarts it on the same port.
 * - `GET /faults/status`: the service's pid, the HTTP actor's id, its Python workers' pids
 *   (from the process registry) and the pools' status.
 */
import { DynamicSupervisor, Registry, type ActorRef, type ActorSystem, type DynamicSupervisorProtocol } from '@arbor/core';
import { JobPool } from '@arbor/pool';
import { ProcessRegistry, type ProcessRegistryProtocol } from '@arbor/process-registry';
import { workerOf } from '@arbor/worker-profiles';
import { BadRequestError, NotFoundError, toHttpError } from './httpErrors.js';
import type { ApiReply, ApiRequest } from './routes.js';

/** The pools tree's registry (the default tree), where a pool's worker supervisor is named `<pool>/workers`. */
const POOLS_REGISTRY = 'arbor.pools.registry';

function poolPart(system: ActorSystem, key: string): ActorRef | undefined {
  return Registry.named<string, unknown, any>(system, POOLS_REGISTRY)?.whereis(key);
}

async function busyStatsWorker(system: ActorSystem): Promise<{ ref: ActorRef; threadId: number | undefined }> {
  const end = Date.now() + 5_000;
  while (Date.now() < end) {
    const workers = poolPart(system, 'stats/workers') as ActorRef<DynamicSupervisorProtocol> | undefined;
    if (workers !== undefined) {
      for (const child of await DynamicSupervisor.whichChildren(workers)) {
        if (typeof child.ref !== 'object') continue;
        const handle = workerOf(system, child.ref);
        if (handle.load > 0) return { ref: child.ref, threadId: (await handle.metadata()).threadId };
      }
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new NotFoundError('no stats worker had a job in flight within 5 s; send a slow stats request first (rounds=3000000)');
}

async function route(system: ActorSystem, req: ApiRequest): Promise<ApiReply> {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method === 'POST' && url.pathname === '/faults/kill-stats-worker') {
    const { ref, threadId } = await busyStatsWorker(system);
    system.exit(ref, 'kill');
    return { status: 200, body: { killed: ref.id, threadId } };
  }
  if (req.method === 'POST' && url.pathname === '/faults/kill-manager') {
    const pool = url.searchParams.get('pool') ?? 'stats';
    const manager = JobPool.of(system, pool).manager;
    if (manager === undefined) throw new BadRequestError(`query "pool" must name a running pool (stats or summary), got ${JSON.stringify(pool)}`);
    system.exit(manager, 'kill');
    return { status: 200, body: { killed: manager.id, pool } };
  }
  if (req.method === 'POST' && url.pathname === '/faults/kill-http') {
    const http = system.whereis('docservice.http');
    if (http === undefined) throw new NotFoundError('the HTTP API actor is not running');
    setTimeout(() => system.exit(http, 'kill'), 20); // after this reply is sent
    return { status: 200, body: { killing: http.id } };
  }
  if (req.method === 'GET' && url.pathname === '/faults/status') {
    const registryRef = system.whereis<ProcessRegistryProtocol>('process-registry');
    const pythonPids = registryRef === undefined ? [] : (await ProcessRegistry.of(registryRef as ActorRef<ProcessRegistryProtocol>).getActiveProcessPids()).sort((a, b) => a - b);
    const status = (name: string) => (Registry.named<string, unknown, any>(system, POOLS_REGISTRY)?.whereis(name) === undefined ? undefined : JobPool.of(system, name).status());
    return { status: 200, body: { pid: process.pid, http: system.whereis('docservice.http')?.id, pythonPids, stats: status('stats'), summary: status('summary') } };
  }
  throw new NotFoundError(`no fault route ${req.method} ${url.pathname}; the fault routes are POST /faults/kill-stats-worker, POST /faults/kill-manager?pool=stats, POST /faults/kill-http, GET /faults/status`);
}

/**
 * Answers one fault request; never rejects.
 *
 * @example
 * await handleFault(system, { method: 'GET', url: '/faults/status', headers: {}, body: '' }); // { status: 200, body: { pid, pythonPids, ... } }
 */
export async function handleFault(system: ActorSystem, req: ApiRequest): Promise<ApiReply> {
  try {
    return await route(system, req);
  } catch (error) {
    return toHttpError(error);
  }
}
