/**
 * `Registry.childSpec`: the registry kind's child spec, the same as `childSpec(Registry, options)`,
 * run under a real supervisor and reached by name across a restart.
 */
import test from 'ava';
import { childSpec, InvalidOptionError, Registry, Supervisor, type ChildSpec } from '../../src/index.js';
import { Counter } from '../support/actors.js';
import { capturingSystem, eventually } from '../support/helpers.js';

test('Registry.childSpec is what childSpec(Registry, options) gives, overrides included', (t) => {
  const options = { keys: 'unique', name: 'workers' } as const;
  t.deepEqual(Registry.childSpec(options), { id: 'Registry', start: { behaviour: Registry, arg: options } });
  t.deepEqual(childSpec(Registry, options), Registry.childSpec(options));
  const overridden = Registry.childSpec(options, { id: 'workers', restart: 'transient', options: { mailbox: { capacity: 10 } } });
  t.deepEqual(overridden, { id: 'workers', restart: 'transient', start: { behaviour: Registry, arg: options, options: { mailbox: { capacity: 10 } } } });
  t.deepEqual(childSpec(Registry, options, { id: 'workers', restart: 'transient', options: { mailbox: { capacity: 10 } } }), overridden);
  t.throws(() => Registry.childSpec(options, 5 as never), { instanceOf: InvalidOptionError });
});

test('a registry started from Registry.childSpec runs under a supervisor and is found by name again after a restart', async (t) => {
  const { system } = capturingSystem();
  const sup = await Supervisor.start(system, { strategy: 'one_for_one', children: [Registry.childSpec({ keys: 'unique', name: 'workers' })] });
  const first = Registry.named<string, number>(system, 'workers');
  t.truthy(first);
  const counter = await system.spawn(Counter, 0);
  t.deepEqual(first!.register('c', 1, { owner: counter }), { status: 'ok' });
  t.is(first!.whereis('c'), counter);

  const before = system.whereis('workers')!;
  system.exit(before, 'kill');
  t.true(await eventually(() => {
    const now = system.whereis('workers');
    return now !== undefined && now !== before;
  }));
  // The restarted registry starts empty; the handle got by name again works on it.
  const again = Registry.named<string, number>(system, 'workers')!;
  t.is(again.whereis('c'), undefined);
  t.deepEqual(again.register('c', 2, { owner: counter }), { status: 'ok' });
  t.is(again.whereis('c'), counter);
  t.deepEqual((await Supervisor.whichChildren(sup)).map((c) => c.id), ['Registry']);
  await system.shutdown();
});

// Type tests: the start argument and the overrides are checked.
function compileOnly(): ChildSpec<Registry>[] {
  return [
    // @ts-expect-error keys is 'unique' or 'duplicate'
    Registry.childSpec({ keys: 'many' }),
    // @ts-expect-error keys is required
    Registry.childSpec({ name: 'workers' }),
    // @ts-expect-error restart is a RestartType
    Registry.childSpec({ keys: 'unique' }, { restart: 'sometimes' }),
  ];
}
void compileOnly;
