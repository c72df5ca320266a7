/**
 * Logging: crash reports have fixed keys; orderly stops and link-propagated deaths log no
 * error; the default logger is silent under ARBOR_LOG_LEVEL=silent.
 */
import test from 'ava';
import { call, cast, createLogger, createSystem, GenServer, openInbox, shutdownWith, type Call, type ExitReason } from '../../src/index.js';
import { Counter, gate, Probe } from '../support/actors.js';
import { capturingSystem, exitReasonOf, syncLogs, type LogLine } from '../support/helpers.js';

const CRASH_KEYS = ['actor', 'behaviour', 'lastMessage', 'name', 'reason', 'report', 'stack'];

function errorsOf(lines: readonly LogLine[]): LogLine[] {
  return lines.filter((l) => l.level === 'error');
}

/** The string keys of a log line, without winston's own `level` and `message`. */
function reportKeys(line: LogLine): string[] {
  return Object.keys(line)
    .filter((k) => k !== 'level' && k !== 'message')
    .sort();
}

test('a crash logs one error line with exactly the fixed crash report keys', async (t) => {
  const { system, logs } = capturingSystem();
  const ref = await system.spawn(Counter, 0, { name: 'counter' });
  cast(ref, { type: 'boom' });
  const reason = await exitReasonOf(system, ref);
  t.true(reason instanceof Error);
  const errors = errorsOf(await syncLogs(system, logs));
  t.is(errors.length, 1);
  const line = errors[0]!;
  t.deepEqual(reportKeys(line), CRASH_KEYS);
  t.like(line, {
    level: 'error',
    report: 'crash_report',
    actor: ref.id,
    name: 'counter',
    behaviour: 'Counter',
    reason: 'Error: boom',
    lastMessage: 'cast:boom',
  });
  t.is(typeof line['stack'], 'string');
  t.regex(line['stack'] as string, /boom/);
  await system.shutdown();
});

test('crash reports name the last message for calls and infos, and keep the fixed keys for unnamed actors and non-Error reasons', async (t) => {
  const { system, logs } = capturingSystem();
  const a = await system.spawn(Counter, 0);
  await t.throwsAsync(call(a, { type: 'crash' }));

  class InfoCrash extends GenServer<{ info: { type: 'poison' } }> {
    override handleInfo(): void {
      throw 'not an error object';
    }
  }
  const b = await system.spawn(InfoCrash, undefined);
  system.send(b, { type: 'poison' });
  await exitReasonOf(system, b);

  const errors = errorsOf(await syncLogs(system, logs));
  t.is(errors.length, 2);
  const [ea, eb] = errors as [LogLine, LogLine];
  t.deepEqual(reportKeys(ea), CRASH_KEYS, 'the name key is there even when the actor has no name');
  t.like(ea, { actor: a.id, name: undefined, lastMessage: 'call:crash', reason: 'Error: crash requested' });
  t.deepEqual(reportKeys(eb), CRASH_KEYS);
  t.like(eb, { actor: b.id, behaviour: 'InfoCrash', lastMessage: 'info:poison', reason: 'not an error object', stack: undefined });
  await system.shutdown();
});

test('a crash in an async handler logs one crash report', async (t) => {
  const { system, logs } = capturingSystem();
  class AsyncCrash extends GenServer<{ cast: { type: 'later' } }> {
    override async handleCast(): Promise<void> {
      await Promise.resolve();
      throw new Error('async boom');
    }
  }
  const ref = await system.spawn(AsyncCrash, undefined);
  cast(ref, { type: 'later' });
  await exitReasonOf(system, ref);
  const errors = errorsOf(await syncLogs(system, logs));
  t.is(errors.length, 1);
  t.like(errors[0], { report: 'crash_report', actor: ref.id, reason: 'Error: async boom', lastMessage: 'cast:later' });
  await system.shutdown();
});

const orderly: [string, () => ExitReason][] = [
  ["'normal'", () => 'normal'],
  ["'shutdown'", () => 'shutdown'],
  ['shutdownWith(detail)', () => shutdownWith('maintenance')],
];

for (const [label, make] of orderly) {
  test(`stopping with ${label} logs no error (this.stop and system.stop)`, async (t) => {
    const { system, logs } = capturingSystem();
    const a = await system.spawn(Probe, undefined);
    cast(a, { type: 'stop', reason: make() });
    t.deepEqual(await exitReasonOf(system, a), make());
    const b = await system.spawn(Probe, undefined);
    await system.stop(b, make());
    t.false(system.isAlive(b));
    t.deepEqual(errorsOf(await syncLogs(system, logs)), []);
    await system.shutdown();
  });
}

test('stopping with any other reason logs a crash report (the control for the tests above)', async (t) => {
  const { system, logs } = capturingSystem();
  const a = await system.spawn(Probe, undefined);
  cast(a, { type: 'stop', reason: 'unexpected' });
  await exitReasonOf(system, a);
  const b = await system.spawn(Probe, undefined);
  await system.stop(b, { shutdown: 1, extra: 2 });
  const errors = errorsOf(await syncLogs(system, logs));
  t.is(errors.length, 2);
  t.like(errors[0], { report: 'crash_report', actor: a.id, reason: 'unexpected', lastMessage: 'cast:stop' });
  t.like(errors[1], { report: 'crash_report', actor: b.id, reason: '{"shutdown":1,"extra":2}' });
  await system.shutdown();
});

test('a link-propagated death logs no crash report for the victim', async (t) => {
  const { system, logs } = capturingSystem();
  const crasher = await system.spawn(Probe, undefined);
  const victims = [await system.spawn(Probe, undefined), await system.spawn(Probe, undefined)];
  for (const v of victims) await call(v, { type: 'link', ref: crasher });
  const inbox = await openInbox(system);
  inbox.link(victims[0]!); // a second hop: the inbox dies from the victim's exit, too
  cast(crasher, { type: 'crash', error: new Error('first') });
  await exitReasonOf(system, crasher);
  t.true(victims.every((v) => !system.isAlive(v)));
  t.false(system.isAlive(inbox.ref));
  const errors = errorsOf(await syncLogs(system, logs));
  t.is(errors.length, 1, 'only the crasher is reported');
  t.is(errors[0]!['actor'], crasher.id);
  await system.shutdown();
});

test('a kill logs no crash report, and a handler that throws after its actor was killed logs none either', async (t) => {
  const { system, logs } = capturingSystem();
  interface HoldProtocol {
    call: Call<'hold', never, { started: () => void; until: Promise<void> }>;
  }
  class ThrowsLate extends GenServer<HoldProtocol> {
    override async handleCall(req: HoldProtocol['call']): Promise<never> {
      req.started();
      await req.until;
      throw new Error('too late');
    }
  }
  const ref = await system.spawn(ThrowsLate, undefined);
  const started = gate();
  const release = gate();
  const held = call(ref, { type: 'hold', started: () => started.open(), until: release.promise });
  await started.promise;
  system.exit(ref, 'kill');
  await t.throwsAsync(held);
  release.open();
  await new Promise((r) => setImmediate(r));
  t.deepEqual(errorsOf(await syncLogs(system, logs)), []);
  await system.shutdown();
});

test('the default logger is silent when ARBOR_LOG_LEVEL=silent', async (t) => {
  t.is(process.env['ARBOR_LOG_LEVEL'], 'silent', 'ava sets it (package.json)');
  const written: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  const originalOut = process.stdout.write.bind(process.stdout);
  const capture = (chunk: unknown): boolean => {
    written.push(String(chunk));
    return true;
  };
  const logger = createLogger();
  t.true(logger.silent);
  const system = createSystem();
  t.true(system.logger.silent, 'a system without a logger gets the default one');
  process.stderr.write = capture as typeof process.stderr.write;
  process.stdout.write = capture as typeof process.stdout.write;
  try {
    logger.error('must not appear');
    const ref = await system.spawn(Counter, 0);
    cast(ref, { type: 'boom' });
    await exitReasonOf(system, ref);
    await new Promise((r) => setImmediate(r));
    t.deepEqual(written, [], 'nothing was written by the silent loggers');
    // The control: an explicit level is not silent, and this capture does see its output.
    const loud = createLogger('error');
    t.false(loud.silent);
    loud.error('control line');
    await new Promise((r) => setImmediate(r));
  } finally {
    process.stderr.write = original;
    process.stdout.write = originalOut;
  }
  t.is(written.length, 1);
  t.regex(written[0]!, /control line/);
  await system.shutdown();
});
