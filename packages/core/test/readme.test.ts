/** The README's example, verbatim but for the console.log, so it cannot rot. */
import test from 'ava';
import { call, cast, childSpec, createSystem, createLogger, GenServer, Supervisor, type Call } from '../src/index.js';
import { eventually } from './helpers.js';

interface CounterProtocol { call: Call<'get', number>; cast: { type: 'inc'; by: number } | { type: 'crash' } }

class Counter extends GenServer<CounterProtocol, number, number> {
  override init(start: number) { this.state = start; }
  override handleCast(msg: CounterProtocol['cast']) {
    if (msg.type === 'crash') throw new Error('crash requested');
    this.state += msg.by;
  }
  override handleCall() { return this.state; }
}

test('the README example: a supervised counter restarted under its name', async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  // A supervisor restarts the counter (registered as 'counter') whenever it crashes.
  const root = await Supervisor.start(system, {
    strategy: 'one_for_one', intensity: 3, period: 5000,
    children: [childSpec(Counter, 10, { id: 'counter', options: { name: 'counter' } })],
  });
  const counter = system.whereis<CounterProtocol>('counter')!;
  cast(counter, { type: 'inc', by: 2 });
  t.is(await call(counter, { type: 'get' }), 12); // typed as number
  cast(counter, { type: 'crash' });                 // ...restarted from 10, found again by name
  t.true(await eventually(() => system.whereis('counter') !== undefined && system.whereis('counter') !== counter));
  const children = await Supervisor.whichChildren(root);
  t.is(children.length, 1);
  t.is(children[0]!.ref, system.whereis('counter'));
  t.is(await call(system.whereis<CounterProtocol>('counter')!, { type: 'get' }), 10);
  await system.shutdown();
});
