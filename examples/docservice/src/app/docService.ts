/**
 * The document service's application: its supervision tree, started with
 * `startApplication`.
 *
 * ```
 * docservice (one_for_one)
 * ├─ tables.keeper          TableKeeper: heir of the documents table while its owner restarts
 * ├─ tables                 TableOwner "docservice.tables": documents (set, keep)
 * ├─ process-registry       ProcessRegistry (LMDB): every Python worker; sweeps orphans at start
 * ├─ sessions               Registry "docservice.sessions" (unique keys): session id -> Session
 * ├─ session-sup            DynamicSupervisor: one Session actor per session (temporary)
 * ├─ pools                  Pools tree "arbor.pools"
 * │  ├─ stats               JobPool: 2-3 thread workers (statsTask.ts), 256 MiB budget
 * │  └─ summary             JobPool: 2 Python workers (python/summary.py), crash barrier on
 * ├─ http                   HttpApi "docservice.http": node:http on 127.0.0.1, starts the pools
 * └─ debug                  DebugEndpoint "docservice.debug": the tree for `arbor dump` / `arbor top`
 * ```
 *
 * Every part finds the others by name, so one_for_one is enough: a crash restarts that
 * child alone, and the documents live in the table owner, not in any request's path.
 */
import { spawnSync } from 'node:child_process';
import { childSpec, createLogger, createSystem, DynamicSupervisor, Registry, startApplication, type ActorRef, type Application, type LogLevel } from '@arbor/core';
import { DebugEndpoint, type DebugEndpointProtocol } from '@arbor/debug';
import { Pools } from '@arbor/pool';
import { ProcessRegistry, type OrphanCleanupReport, type ProcessRegistryProtocol } from '@arbor/process-registry';
import { DocTables } from './DocTables.js';
import { HttpApi, type HttpApiProtocol } from './HttpApi.js';
import { SESSION_SUP, SESSIONS } from './routes.js';

/** Options of {@link startDocService}. */
export interface DocServiceOptions {
  /** Port on 127.0.0.1 (default 0: a free port). */
  readonly port?: number;
  /** The process registry's LMDB file (default: `defaultRegistryPath('docservice')`). */
  readonly registryPath?: string;
  /** Serve the demo's fault routes and `x-fault` header; the directory for crash markers. */
  readonly faultsDir?: string;
  /** Spawn Python workers under `setpriv --pdeathsig KILL` (default true). */
  readonly pdeathsig?: boolean;
  /** Default: `ARBOR_LOG_LEVEL`, else `info`. The format follows `ARBOR_LOG_FORMAT`, else the terminal. */
  readonly logLevel?: LogLevel;
  /** Stop on SIGINT / SIGTERM and exit (default true; tests pass false). */
  readonly signals?: boolean;
  /** Let the debug endpoint serve the observer page too (`DebugEndpoint({ http: true })`, no control actions; default false). */
  readonly observer?: boolean;
}

/** A running service. */
export interface DocService {
  readonly app: Application;
  readonly port: number;
  /** The debug endpoint (a Unix socket path), for `arbor dump --endpoint`. */
  readonly endpoint: string;
  /** The observer page's URL with its token (`options.observer`), else null. */
  readonly observerUrl: string | null;
  /** Whether summaries run (python3 was found). */
  readonly python: boolean;
  /** What the process registry's start-up sweep did (orphans of a crashed earlier run). */
  readonly sweep: OrphanCleanupReport | undefined;
}

/**
 * Whether `python3` runs here.
 *
 * @example
 * if (!hasPython()) console.log('install python3: apt-get install python3');
 */
export function hasPython(): boolean {
  const r = spawnSync('python3', ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

/**
 * Starts the service and resolves once it serves HTTP.
 *
 * @example
 * const service = await startDocService({ port: 0 });
 * console.log(`http://127.0.0.1:${service.port}/health`);
 * await service.app.stop();
 */
export async function startDocService(options: DocServiceOptions = {}): Promise<DocService> {
  const python = hasPython();
  const system = createSystem({ name: 'docservice', logger: createLogger(options.logLevel) });
  const app = await startApplication(
    {
      strategy: 'one_for_one',
      intensity: 5,
      period: 10_000,
      children: [
        DocTables.keeperSpec(),
        DocTables.childSpec(),
        childSpec(ProcessRegistry, { application: 'docservice', name: 'process-registry', shutdownGraceMs: 1000, ...(options.registryPath !== undefined ? { path: options.registryPath } : {}) }, { id: 'process-registry', shutdown: 5000 }),
        Registry.childSpec({ keys: 'unique', name: SESSIONS }, { id: 'sessions' }),
        DynamicSupervisor.childSpec({}, { id: 'session-sup', options: { name: SESSION_SUP } }),
        Pools.childSpec(),
        childSpec(
          HttpApi,
          { port: options.port ?? 0, routes: { python, faults: options.faultsDir === undefined ? undefined : { dir: options.faultsDir } }, pdeathsig: options.pdeathsig ?? true },
          { id: 'http', options: { name: 'docservice.http' }, shutdown: 10_000 },
        ),
        DebugEndpoint.childSpec(options.observer === true ? { http: true } : undefined, { id: 'debug', options: { name: 'docservice.debug' } }),
      ],
    },
    { system, name: 'docservice', ...(options.signals === false ? { signals: false as const } : {}), shutdownTimeout: 15_000 },
  );
  const http = system.whereis<HttpApiProtocol>('docservice.http') as ActorRef<HttpApiProtocol>;
  const { port } = await system.call(http, { type: 'address' });
  const debug = system.whereis<DebugEndpointProtocol>('docservice.debug') as ActorRef<DebugEndpointProtocol>;
  const endpoint = await DebugEndpoint.endpoint(debug);
  const observerUrl = await DebugEndpoint.observerUrl(debug);
  const registry = ProcessRegistry.of(system.whereis<ProcessRegistryProtocol>('process-registry') as ActorRef<ProcessRegistryProtocol>);
  const sweep = await registry.startupCleanup();
  return { app, port, endpoint, observerUrl, python, sweep };
}
