import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { type ActorRef, childSpec, createSystem, GenServer, InvalidStrategyError, startApplication, Supervisor, type SupervisorDef } from '../../src/index.js';
import { Counter } from '../support/actors.js';
import { eventually } from '../support/helpers.js';

const main = fileURLToPath(new URL('../fixtures/appMain.js', import.meta.url));

/** Runs fixtures/appMain.js, sends `signal` once it prints ready; resolves with its output lines and exit code. */
function runApp(mode: string, signal: NodeJS.Signals): Promise<{ lines: string[]; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, mode], { env: { ...process.env, ARBOR_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let sent = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      if (!sent && out.includes('ready\n')) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ lines: out.trim().split('\n'), code }));
  });
}

test('SIGTERM stops the tree in reverse start order, depth first, and exits 0', async (t) => {
  const { lines, code } = await runApp('ordered', 'SIGTERM');
  t.deepEqual(lines, ['start a', 'start b1', 'start b2', 'start c', 'ready', 'stop c shutdown', 'stop b2 shutdown', 'stop b1 shutdown', 'stop a shutdown', 'exited shutdown']);
  t.is(code, 0);
});

test('SIGINT works the same way', async (t) => {
  const { lines, code } = await runApp('ordered', 'SIGINT');
  t.is(lines.at(-1), 'exited shutdown');
  t.is(code, 0);
});

test('a child that never finishes terminate: the shutdown is bounded, the tree is killed, exit code 1', async (t) => {
  const { lines, code } = await runApp('hang', 'SIGTERM');
  // c stops, then b2 hangs in terminate; after shutdownTimeout the whole tree is killed:
  // every actor of it dies at once, without running terminate (a kill cannot be trapped).
  t.deepEqual(lines.slice(0, 7), ['start a', 'start b1', 'start b2', 'start c', 'ready', 'stop c shutdown', 'stop b2 shutdown']);
  t.deepEqual(lines.slice(7), ['exited killed']);
  t.is(code, 1);
});

test('stop() on request stops the tree in order and is idempotent', async (t) => {
  const system = createSystem();
  const app = await startApplication({ children: [childSpec(Counter, 1, { id: 'a' }), childSpec(Counter, 2, { id: 'b' })] }, { system, signals: false });
  const kids = await Supervisor.whichChildren(app.root);
  t.is(system.whereis('app'), app.root);
  const [first, second] = await Promise.all([app.stop(), app.stop()]);
  t.is(first, 'stopped');
  t.is(second, 'stopped');
  t.is(await app.exited, 'shutdown');
  for (const k of kids) t.false(system.isAlive(k.ref as never));
  await system.shutdown();
});

interface CrasherProtocol {
  cast: { type: 'boom' };
}

class Crasher extends GenServer<CrasherProtocol> {
  override handleCast(): void {
    throw new Error('boom');
  }
}

test('a root that gives up resolves exited, logs, and sets the exit code', async (t) => {
  const system = createSystem();
  const before = process.exitCode;
  const app = await startApplication({ intensity: 0, children: [childSpec(Crasher, undefined, { id: 'x' })] }, { system, signals: false });
  const [x] = await Supervisor.whichChildren(app.root);
  system.cast(x!.ref as ActorRef<CrasherProtocol>, { type: 'boom' });
  t.is(await app.exited, 'shutdown');
  t.is(process.exitCode, 1);
  process.exitCode = before;
  t.true(await eventually(() => !system.isAlive(app.root)));
  t.is(await app.stop(), 'stopped');
  await system.shutdown();
});

test('a bad definition rejects with the validation error and leaves no actor behind', async (t) => {
  const system = createSystem();
  await t.throwsAsync(startApplication({ strategy: 'bogus' as never, children: [] } as SupervisorDef, { system, signals: false }), {
    instanceOf: InvalidStrategyError,
  });
  t.is(system.size, 0);
  await t.throwsAsync(startApplication({ children: [] }, { signals: 'SIGINT' as never }), { code: 'invalid_option' });
  await system.shutdown();
});
