/**
 * What a user sees when a call fails: a short uncaught error that names the actor, refs
 * that print as one line, and a stack that names the caller (async frames) even when the
 * failure comes from a timer or the callee's exit.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { call, CallExitError, CallTimeoutError, createLogger, createSystem, GenServer, NoProcError, noReply, type Call } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'arbor-error-output-'));
const pids: number[] = [];
test.after.always(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const pid of pids) {
    let alive = true;
    try { process.kill(pid, 0); } catch { alive = false; }
    if (alive) throw new Error(`process ${pid} is still running`);
  }
});

interface SlowProtocol { call: Call<'get', number> | Call<'hang', never> | Call<'die', never> }
class Slowpoke extends GenServer<SlowProtocol, number, number> {
  override init(n: number) { this.state = n; }
  override handleCall(req: SlowProtocol['call']) {
    if (req.type === 'hang') return noReply as never; // never answered
    if (req.type === 'die') throw new Error('boom');
    return this.state;
  }
}

test('an uncaught NoProcError prints a few lines that name the actor, not the whole system', (t) => {
  const core = new URL('../../src/index.js', import.meta.url).href;
  const script = join(dir, 'uncaught.mjs');
  writeFileSync(script, `
import { call, createSystem, GenServer } from ${JSON.stringify(core)};
class Counter extends GenServer { handleCall() { return 1; } }
const system = createSystem();
const ref = await system.spawn(Counter, 0, { name: 'slowpoke' });
await system.stop(ref);
await call(ref, { type: 'get' });
`);
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, ARBOR_LOG_LEVEL: 'silent' }, timeout: 30_000 });
  if (r.pid !== undefined) pids.push(r.pid);
  t.is(r.status, 1);
  const lines = r.stderr.trim().split('\n');
  t.true(lines.length <= 15, `printed ${lines.length} lines:\n${r.stderr}`);
  t.regex(r.stderr, /NoProcError: call: no actor is alive at slowpoke \(Counter#[\w-]+\)/);
  t.notRegex(r.stderr, /DerivedLogger|ActorSystem \{|Scheduler/);
});

test('a ref prints as one short line with its name, behaviour and id, everywhere', async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  const named = await system.spawn(Slowpoke, 1, { name: 'slowpoke' });
  const anon = await system.spawn(Slowpoke, 1);
  t.is(String(named), `ActorRef<slowpoke Slowpoke#${named.id}>`);
  t.is(inspect(named), `ActorRef<slowpoke Slowpoke#${named.id}>`);
  t.is(inspect({ anon }), `{ anon: ActorRef<Slowpoke#${anon.id}> }`);
  t.is(JSON.stringify({ anon }), `{"anon":"${anon.id}"}`);
  await system.shutdown();
});

test("a ref-valued error property stays readable but is not printed (Node prints uncaught errors' own enumerable keys raw)", async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  const ref = await system.spawn(Slowpoke, 1, { name: 'slowpoke' });
  await system.stop(ref);
  const e = await t.throwsAsync(call(ref, { type: 'get' }), { instanceOf: NoProcError });
  t.is(e!.actor, ref);
  t.false(Object.keys(e!).includes('actor'));
  t.notRegex(inspect(e, { customInspect: false, depth: 4 }), /logger|scheduler/);
  await system.shutdown();
});

async function loadWidget(ref: Parameters<typeof call>[0], type: 'hang' | 'die'): Promise<number> {
  return (await call(ref, { type } as never, { timeout: 50 })) as number;
}
async function renderPage(ref: Parameters<typeof call>[0], type: 'hang' | 'die'): Promise<number> {
  return await loadWidget(ref, type);
}

test('a call that times out has the callers in its stack (async frames), though a timer rejected it', async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  const ref = await system.spawn(Slowpoke, 1, { name: 'slowpoke' });
  const e = await t.throwsAsync(renderPage(ref, 'hang'), { instanceOf: CallTimeoutError });
  t.regex(e!.message, /^call to slowpoke \(Slowpoke#[\w-]+\) got no reply within 50 ms/);
  t.regex(e!.stack!, /at async loadWidget/);
  t.regex(e!.stack!, /at async renderPage/);
  await system.shutdown();
});

test('a call whose callee exits has the callers in its stack, and the success path still resolves', async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  const ref = await system.spawn(Slowpoke, 7);
  t.is(await call(ref, { type: 'get' }), 7);
  const e = await t.throwsAsync(renderPage(ref, 'die'), { instanceOf: CallExitError });
  t.regex(String(e!.reason), /boom/);
  t.regex(e!.stack!, /at async loadWidget[\s\S]*at async renderPage/);
  await system.shutdown();
});
