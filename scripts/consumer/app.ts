// A small application built outside the monorepo from the packed tarballs: each package
// installs from its tarball alone (sibling ranges), its types check with skipLibCheck off
// (tsc's own default), and it runs.
import { call, cast, childSpec, createLogger, createSystem, GenServer, renderDump, Supervisor, type Call } from '@arbor/core';
import { DebugEndpoint, fetchDump } from '@arbor/debug';
import { TableOwner, TableSpec } from '@arbor/ets';
import { Pools, PoolStoppedError } from '@arbor/pool';
import { ProcessRegistry } from '@arbor/process-registry';
import { pythonProfile, startWorker, WorkerExitError } from '@arbor/worker-profiles';
import { fromMachine } from '@arbor/xstate';
import { createMachine } from 'xstate';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface CounterProtocol { call: Call<'get', number>; cast: { type: 'inc'; by: number } }
class Counter extends GenServer<CounterProtocol, number, number> {
  override init(start: number) { this.state = start; }
  override handleCast(msg: CounterProtocol['cast']) { this.state += msg.by; }
  override handleCall() { return this.state; }
}

const system = createSystem({ logger: createLogger('silent') });
const Tables = TableOwner.define('consumer_tables', { hits: TableSpec.set<string, number>() });
await Supervisor.start(system, { children: [childSpec(Counter, 1, { id: 'counter', options: { name: 'counter' } }), Tables.childSpec()] });
const counter = system.whereis<CounterProtocol>('counter')!;
cast(counter, { type: 'inc', by: 2 });
const n: number = await call(counter, { type: 'get' });

Tables.ensureTable('hits', system).insert('home', n);
const hits = Tables.ensureTable('hits', system).lookup('home');

const dir = mkdtempSync(join(tmpdir(), 'arbor-consumer-'));
const registry = await ProcessRegistry.start(system, { path: join(dir, 'registry.mdb') });

const toggle = createMachine({ id: 'toggle', initial: 'off', states: { off: { on: { TOGGLE: 'on' } }, on: { on: { TOGGLE: 'off' } } } });
const machine = await system.spawn(fromMachine(toggle), undefined);

interface PyApi { add(arg: { a: number; b: number }): number }
writeFileSync(join(dir, 'handlers.py'), 'def add(arg):\n    return arg["a"] + arg["b"]\n');
const py = await startWorker(system, { profile: pythonProfile<PyApi>({ script: join(dir, 'handlers.py'), registry }) });
const sum: number = await py.request('add', { a: 2, b: 3 });
if (sum !== 5 || typeof WorkerExitError !== 'function') throw new Error(`python worker answered ${sum}`);

const pools = await Pools.start(system);
const started = await pools.startPool({ name: 'counters', worker: childSpec(Counter, 40), size: 2 });
if (started.status === 'error') throw started.reason;
const pooled: number = await started.pool.transaction((worker) => call(worker, { type: 'get' }));
const lease = await started.pool.checkout({ block: false });
if (lease === 'full' || pooled !== 40) throw new Error(`pool answered ${pooled}, ${String(lease)}`);
lease.checkin();
const stopped = await pools.stopPool('counters');
const after = await started.pool.status().then(() => 'running', (e: unknown) => (e instanceof PoolStoppedError ? e.code : String(e)));
if (stopped !== 'ok' || after !== 'pool_stopped') throw new Error(`stopPool by name answered ${stopped}, then the pool was ${after}`);

const debug = await system.spawn(DebugEndpoint, { path: join(dir, 'debug.sock') });
const tree = renderDump(await fetchDump(await call(debug, { type: 'endpoint' }), { timeout: 5000 }));
if (!tree.includes('DebugEndpoint #')) throw new Error(`fetchDump answered ${tree}`);

await system.shutdown();
rmSync(dir, { recursive: true, force: true });
console.log(`consumer ok: counter=${n} hits=${String(hits)} registry=${typeof registry} machine=${typeof machine} python=${sum} pool=${pooled} dump=${tree.split('\n').length} lines`);
