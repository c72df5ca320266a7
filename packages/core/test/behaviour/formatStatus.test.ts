/**
 * `formatStatus()`, OTP's format_status: what a behaviour reports about itself shows as
 * `details` in getStatus and the dump, and as key=value in renderDump. A broken
 * formatStatus never breaks introspection.
 */
import test from 'ava';
import { call, cast, childSpec, dump, GenServer, renderDump, Supervisor, type Call, type StatusDetails } from '../../src/index.js';
import { capturingSystem } from '../support/helpers.js';

interface LightProtocol {
  call: Call<'mode', string>;
  cast: { type: 'set'; mode: string } | { type: 'break'; how: 'throw' | 'bad_value' | 'not_object' | 'none' };
}

/** A GenServer that reports its mode, and can be told to report badly. */
class Light extends GenServer<LightProtocol, { mode: string; broken: 'throw' | 'bad_value' | 'not_object' | 'none' }, string> {
  override init(mode: string) {
    this.state = { mode, broken: 'none' };
  }
  override handleCast(msg: LightProtocol['cast']) {
    if (msg.type === 'set') this.state.mode = msg.mode;
    else this.state.broken = msg.how;
  }
  override handleCall() {
    return this.state.mode;
  }
  override formatStatus(): StatusDetails | undefined {
    switch (this.state.broken) {
      case 'throw':
        throw new Error('lamp exploded');
      case 'bad_value':
        return { mode: this.state.mode, when: new Date(0) as never };
      case 'not_object':
        return 'on' as never;
      case 'none':
        return { state: this.state.mode, watts: 60, dimmed: false, room: null };
    }
  }
}

class Plain extends GenServer {}

test('getStatus shows formatStatus as details; undefined by default', async (t) => {
  const { system } = capturingSystem();
  const light = await system.spawn(Light, 'running');
  t.deepEqual(system.getStatus(light).details, { state: 'running', watts: 60, dimmed: false, room: null });
  cast(light, { type: 'set', mode: 'off' });
  await call(light, { type: 'mode' });
  t.is(system.getStatus(light).details?.['state'], 'off');
  const plain = await system.spawn(Plain, undefined);
  t.is(system.getStatus(plain).details, undefined);
  await system.stop(light);
  t.is(system.getStatus(light).details, undefined, 'a dead actor has no behaviour to ask');
  await system.shutdown();
});

test('a throwing or malformed formatStatus becomes formatStatusError, and getStatus and dump still work', async (t) => {
  const { system } = capturingSystem();
  const light = await system.spawn(Light, 'running');
  cast(light, { type: 'break', how: 'throw' });
  await call(light, { type: 'mode' });
  t.deepEqual(system.getStatus(light).details, { formatStatusError: 'Error: lamp exploded' });
  t.deepEqual(dump(system).roots[0]!.details, { formatStatusError: 'Error: lamp exploded' });
  t.true(system.isAlive(light), 'introspection does not crash the actor');

  cast(light, { type: 'break', how: 'bad_value' });
  await call(light, { type: 'mode' });
  t.regex(String(system.getStatus(light).details?.['formatStatusError']), /"when": object; values must be strings/);

  cast(light, { type: 'break', how: 'not_object' });
  await call(light, { type: 'mode' });
  t.regex(String(system.getStatus(light).details?.['formatStatusError']), /must return an object .* got string/);
  t.notThrows(() => renderDump(dump(system)));
  await system.shutdown();
});

test('the dump carries details (JSON-safe) and renderDump prints them as key=value', async (t) => {
  const { system } = capturingSystem('lights');
  await Supervisor.start(system, {
    strategy: 'one_for_one',
    children: [childSpec(Light, 'running', { id: 'hall' }), childSpec(Light, 'half on', { id: 'porch' }), childSpec(Plain, undefined, { id: 'plain' })],
  });
  const d = dump(system);
  const [hall, porch, plain] = d.roots[0]!.children;
  t.deepEqual(hall!.details, { state: 'running', watts: 60, dimmed: false, room: null });
  t.is(plain!.details, undefined);
  t.false('details' in plain!, 'absent, not undefined, when there is nothing to show');
  t.deepEqual(JSON.parse(JSON.stringify(d)).roots[0].children[1].details, porch!.details);
  const text = renderDump(d);
  t.regex(text, /hall: Light #\S+ waiting state=running watts=60 dimmed=false room=null, restarts 0/);
  t.regex(text, /porch: Light #\S+ waiting state="half on" watts=60/);
  t.regex(text, /plain: Plain #\S+ waiting, restarts 0/);
  await system.shutdown();
});
