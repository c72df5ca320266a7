/** The README's example, verbatim but for the console.log, so it cannot rot. */
import test from 'ava';
import { call, cast, createSystem, createLogger, GenServer, type Call, type SystemInfo } from '../src/index.js';

interface CounterProtocol { call: Call<'get', number>; cast: { type: 'inc'; by: number } }

class Counter extends GenServer<CounterProtocol, number, number> {
  override init(start: number) { this.state = start; }
  override handleCast(msg: { type: 'inc'; by: number }) { this.state += msg.by; }
  override handleCall() { return this.state; }
}

// A hand-rolled keeper: traps exits and restarts the counter under its name.
class Keeper extends GenServer<{}, number> {
  override async init() { this.trapExit(true); this.state = 0; await this.startCounter(); }
  async startCounter() { await this.spawnLink(Counter, 0, { name: 'counter' }); }
  override async handleInfo(msg: SystemInfo) { if (msg.type === 'EXIT') { this.state++; await this.startCounter(); } }
}

test('the README example: a counter kept alive by a trapping parent', async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  await system.spawn(Keeper, undefined);
  const counter = system.whereis<CounterProtocol>('counter')!;
  cast(counter, { type: 'inc', by: 2 });
  t.is(await call(counter, { type: 'get' }), 2); // typed as number

  system.exit(counter, 'kill');
  await new Promise((r) => setTimeout(r, 20));
  const restarted = system.whereis<CounterProtocol>('counter')!;
  t.not(restarted, counter);
  t.is(await call(restarted, { type: 'get' }), 0);
  await system.shutdown();
});
