import test from 'ava';
import { GenServer, InvalidOptionError, createSystem, type Call } from '../../src/index.js';
import { capturingSystem, syncLogs } from '../support/helpers.js';

interface Proto {
  call: Call<'ping', 'pong'>;
  cast: never;
}

/** Records its terminate into a shared list. */
class Recorder extends GenServer<Proto, string[], string[]> {
  override init(log: string[]): void {
    this.state = log;
    this.trapExit(true);
  }

  override handleCall(): 'pong' {
    return 'pong';
  }

  override terminate(reason: unknown): void {
    this.state.push(`terminate ${String(reason)}`);
  }
}

test('shutdown runs the hooks after every actor has stopped, the last added first, each once', async (t) => {
  const system = createSystem({ name: 'hooks' });
  const log: string[] = [];
  await system.spawn(Recorder, log);
  system.onShutdown(() => void log.push('first'));
  system.onShutdown(async () => {
    await new Promise((r) => setTimeout(r, 10));
    log.push('second');
  });
  await system.shutdown();
  t.deepEqual(log, ['terminate shutdown', 'second', 'first'], 'the actor stopped before the hooks ran');
  await system.shutdown();
  t.is(log.length, 3, 'a second shutdown runs no hook again');
});

test('a hook that throws or rejects is logged and the others still run; a removed hook does not run', async (t) => {
  const { system, logs } = capturingSystem('failing-hooks');
  const ran: string[] = [];
  system.onShutdown(() => void ran.push('kept'));
  system.onShutdown(() => Promise.reject(new Error('rejected')));
  system.onShutdown(() => {
    throw new Error('thrown');
  });
  const off = system.onShutdown(() => void ran.push('removed'));
  off();
  await system.shutdown();
  t.deepEqual(ran, ['kept']);
  const lines = (await syncLogs(system, logs)).filter((l) => l['report'] === 'shutdown_hook_failed');
  t.deepEqual(lines.map((l) => l['reason']), ['Error: thrown', 'Error: rejected']);
  t.true(lines.every((l) => l.level === 'error' && String(l.message).includes('failing-hooks')));
});

test('onShutdown refuses what is not a function with InvalidOptionError', (t) => {
  const system = createSystem({ name: 'junk-hooks' });
  for (const junk of [undefined, null, 1, 'x', {}]) {
    // @ts-expect-error a hook is a function
    t.throws(() => system.onShutdown(junk), { instanceOf: InvalidOptionError, message: /onShutdown/ });
  }
});
