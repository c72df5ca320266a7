import type { StartContext } from '../contract/WorkerProfile.js';
import { WorkerStartError } from '../errors/errors.js';
import { OsWorkerConn, type OsTransport } from './OsWorkerConn.js';
import { resolveRegistry, spawnOsWorker, type OsSpawn, type RegistryOption } from './osProcess.js';

/** What a process profile hands to {@link startOsWorker}. @internal */
export interface OsWorkerStart {
  readonly kind: string;
  readonly registry: RegistryOption | undefined;
  readonly spawn: OsSpawn;
  readonly oomOnAbort: boolean;
  readonly transport: (conn: OsWorkerConn) => OsTransport;
  readonly meta?: Readonly<Record<string, unknown>>;
}

/**
 * The start of every OS-process profile: find the registry, reserve + spawn, wait for READY
 * (activating the entry), or fail with a WorkerStartError after the group is killed and the
 * entry released.
 * @internal
 */
export async function startOsWorker(ctx: StartContext, start: OsWorkerStart): Promise<OsWorkerConn> {
  const base = { workerId: ctx.workerId, kind: start.kind };
  const registry = resolveRegistry(ctx.system, start.registry);
  if (registry === undefined) {
    const detail = `no process registry: start one with ProcessRegistry.start(system, { name: 'process-registry' }) or pass the profile option { registry }`;
    throw new WorkerStartError({ ...base, reason: 'startup_failed', detail, at: Date.now() });
  }
  let proc;
  try {
    proc = await spawnOsWorker(ctx, registry, start.spawn);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new WorkerStartError({ ...base, reason: 'startup_failed', detail: `could not spawn ${JSON.stringify(start.spawn.command)}: ${message}`, at: Date.now() }, error);
  }
  const child = proc.child;
  const conn = new OsWorkerConn({
    ctx,
    kind: start.kind,
    proc,
    oomOnAbort: start.oomOnAbort,
    outputs: [child.stderr],
    transport: start.transport,
    meta: { argv: proc.argv, pdeathsig: proc.pdeathsig, ...start.meta },
  });
  return conn.waitReady();
}
