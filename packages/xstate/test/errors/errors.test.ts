/**
 * Error semantics: every xstate error crashes the Arbor actor with a MachineFailedError
 * carrying the error, and xstate's reportUnhandledError (a rethrow in a timer) never fires.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { CallExitError, InitError } from '@arbor/core';
import { setup } from 'xstate';
import { fromMachine, MachineFailedError, sendEvent, sendEventAndWait } from '../../src/index.js';
import { capturingSystem, drainTimers, exitReasonOf, watchUncaught } from '../support/helpers.js';
import { delayedMachine, lightMachine, loaderMachine } from '../support/machines.js';

const Light = fromMachine(lightMachine);
/** packages/xstate (tests run from dist/test). */
const packageDir = fileURLToPath(new URL('../../../', import.meta.url));

test.serial('a throwing action crashes the actor with the error; nothing is rethrown in a timer', async (t) => {
  const uncaught = watchUncaught();
  const { system, logs } = capturingSystem();
  const ref = await system.spawn(Light, {});
  const reason = exitReasonOf(system, ref);
  sendEvent(ref, { type: 'BAD', reason: 'action blew up' });
  const r = await reason;
  t.true(r instanceof MachineFailedError);
  t.is((r as MachineFailedError).code, 'machine_failed');
  t.is(((r as MachineFailedError).error as Error).message, 'action blew up');
  t.is((r as MachineFailedError).machine, 'light');
  t.true(logs.some((l) => l['report'] === 'crash_report'), 'the crash is reported in the logs');
  await drainTimers();
  uncaught.stop();
  t.deepEqual(uncaught.errors, []);
  await system.shutdown();
});

test.serial('a throwing guard crashes the actor; a call that sent the event rejects with the exit', async (t) => {
  const uncaught = watchUncaught();
  const { system } = capturingSystem();
  const ref = await system.spawn(Light, {});
  const e = await t.throwsAsync(sendEventAndWait(ref, { type: 'BREAK' }), { instanceOf: CallExitError });
  t.true(e?.reason instanceof MachineFailedError);
  t.regex(((e?.reason as MachineFailedError).error as Error).message, /guard blew up/);
  t.false(system.isAlive(ref));
  await drainTimers();
  uncaught.stop();
  t.deepEqual(uncaught.errors, []);
  await system.shutdown();
});

test.serial('an error in a delayed transition, outside any message, crashes the actor', async (t) => {
  const uncaught = watchUncaught();
  const { system, logs } = capturingSystem();
  const ref = await system.spawn(fromMachine(delayedMachine), {});
  const reason = exitReasonOf(system, ref);
  sendEvent(ref, { type: 'ARM_BAD' });
  const r = await reason;
  t.true(r instanceof MachineFailedError);
  t.is(((r as MachineFailedError).error as Error).message, 'delayed action blew up');
  t.true(logs.some((l) => l['report'] === 'crash_report'), 'the crash is reported like any other');
  await drainTimers();
  uncaught.stop();
  t.deepEqual(uncaught.errors, []);
  await system.shutdown();
});

test.serial('an invoked promise that rejects with no onError (an unhandled child error) crashes the actor', async (t) => {
  const uncaught = watchUncaught();
  const { system } = capturingSystem();
  const Loader = fromMachine(loaderMachine(async ({ fail }) => {
    if (fail) throw new Error('load failed');
    return 'ok';
  }));
  const ref = await system.spawn(Loader, { input: { fail: true } });
  const reason = exitReasonOf(system, ref);
  sendEvent(ref, { type: 'LOAD' });
  const r = await reason;
  t.true(r instanceof MachineFailedError);
  t.is(((r as MachineFailedError).error as Error).message, 'load failed');
  await drainTimers();
  uncaught.stop();
  t.deepEqual(uncaught.errors, []);
  await system.shutdown();
});

test.serial('a machine that fails while starting (a throwing entry action) fails the start', async (t) => {
  const uncaught = watchUncaught();
  const { system } = capturingSystem();
  const machine = setup({}).createMachine({
    id: 'doomed',
    entry: () => {
      throw new Error('entry blew up');
    },
  });
  const e = await t.throwsAsync(system.spawn(fromMachine(machine), {}), { instanceOf: InitError });
  t.true(e?.reason instanceof MachineFailedError);
  t.is(((e?.reason as MachineFailedError).error as Error).message, 'entry blew up');
  const r = await system.start(fromMachine(machine), {});
  t.is(r.status, 'error');
  await drainTimers();
  uncaught.stop();
  t.deepEqual(uncaught.errors, []);
  await system.shutdown();
});

test('the control: the same failure in a bare xstate actor takes Node down (reportUnhandledError)', async (t) => {
  const script = `
    import { createActor, setup } from 'xstate';
    const m = setup({}).createMachine({ on: { BAD: { actions: () => { throw new Error('unobserved'); } } } });
    createActor(m).start().send({ type: 'BAD' });
    setTimeout(() => console.log('survived'), 50);
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: packageDir, encoding: 'utf8' });
  t.not(r.status, 0);
  t.regex(r.stderr, /unobserved/);
  t.notRegex(r.stdout, /survived/);
});
