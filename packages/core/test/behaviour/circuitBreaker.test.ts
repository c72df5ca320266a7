/**
 * The worked example of docs/behaviours.md: a circuit breaker written from scratch on the
 * extension API (CircuitBreaker.ts imports only the package's public entry), tested as a
 * user of it would, and checked to be the exact code the doc shows.
 */
import { readFileSync } from 'node:fs';
import test from 'ava';
import { call, childSpec, dump, InvalidBehaviourError, renderDump, Supervisor, type ActorRef } from '../../src/index.js';
import { capturingSystem, eventually, sleep } from '../support/helpers.js';
import { CircuitBreaker, type BreakerMode, type BreakerProtocol } from './CircuitBreaker.js';

/** A user of the kind: a flaky service whose requests fail when they say so. */
class FlakyService extends CircuitBreaker<string, string> {
  override async execute(request: string) {
    executed.push(`${this.self.id}:${request}`);
    if (request.startsWith('fail')) throw new Error(request);
    return `done ${request}`;
  }
  override onModeChange(from: BreakerMode, to: BreakerMode) {
    changes.push(`${this.self.id}:${from}->${to}`);
  }
}
/** What each breaker (by actor id) executed, and its mode changes. */
const executed: string[] = [];
const changes: string[] = [];
const of = (list: string[], ref: ActorRef) => list.filter((e) => e.startsWith(`${ref.id}:`)).map((e) => e.slice(ref.id.length + 1));

type Ref = ActorRef<BreakerProtocol<string, string>>;
const run = (ref: Ref, request: string) => call(ref, { type: 'run', request });

test('closed: calls go through; the threshold of consecutive failures opens it; open fails fast without calling', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(FlakyService, { failureThreshold: 2, resetAfterMs: 60_000 });
  t.deepEqual(await run(ref, 'a'), { status: 'ok', value: 'done a' });
  t.like(await run(ref, 'fail 1'), { status: 'failed' });
  t.deepEqual(await run(ref, 'b'), { status: 'ok', value: 'done b' }, 'a success resets the count');
  t.like(await run(ref, 'fail 2'), { status: 'failed' });
  t.is(await call(ref, { type: 'mode' }), 'closed');
  const third = await run(ref, 'fail 3');
  t.is(third.status, 'failed');
  t.is(((third as { error: Error }).error).message, 'fail 3');
  t.is(await call(ref, { type: 'mode' }), 'open');
  t.deepEqual(await run(ref, 'c'), { status: 'open' });
  t.deepEqual(of(executed, ref), ['a', 'fail 1', 'b', 'fail 2', 'fail 3'], "open: 'c' was not executed");
  t.deepEqual(system.getStatus(ref).details, { state: 'open', failures: 2 });
  t.regex(renderDump(dump(system)), /FlakyService #\S+ waiting state=open failures=2/);
  t.is((await system.getState<{ mode: BreakerMode }>(ref)).mode, 'open', 'getState reads the kind\'s state');
  await system.shutdown();
});

test('after resetAfterMs one trial call is let through: success closes it, failure opens it again', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(FlakyService, { failureThreshold: 1, resetAfterMs: 20 });
  await run(ref, 'fail once');
  t.is(await call(ref, { type: 'mode' }), 'open');
  t.true(await eventually(() => system.getStatus(ref).details?.['state'] === 'half_open'));
  t.like(await run(ref, 'fail again'), { status: 'failed' });
  t.is(await call(ref, { type: 'mode' }), 'open');
  t.true(await eventually(() => system.getStatus(ref).details?.['state'] === 'half_open'));
  t.deepEqual(await run(ref, 'ok'), { status: 'ok', value: 'done ok' });
  t.is(await call(ref, { type: 'mode' }), 'closed');
  t.deepEqual(of(changes, ref), ['closed->open', 'open->half_open', 'half_open->open', 'open->half_open', 'half_open->closed']);
  await system.shutdown();
});

test('half_open lets exactly one trial through; calls meanwhile fail fast; slow calls do not block the mailbox', async (t) => {
  const { system } = capturingSystem();
  let release!: () => void;
  class Slow extends CircuitBreaker<string, string> {
    override execute(request: string) {
      if (request === 'fail') throw new Error('fail');
      return new Promise<string>((resolve) => (release = () => resolve(request)));
    }
  }
  const ref = await system.spawn(Slow, { failureThreshold: 1, resetAfterMs: 5 });
  await call(ref, { type: 'run', request: 'fail' });
  t.true(await eventually(() => system.getStatus(ref).details?.['state'] === 'half_open'));
  const trial = call(ref, { type: 'run', request: 'trial' });
  await sleep(5);
  t.deepEqual(await call(ref, { type: 'run', request: 'other' }), { status: 'open' }, 'answered while the trial runs');
  release();
  t.deepEqual(await trial, { status: 'ok', value: 'trial' });
  t.is(await call(ref, { type: 'mode' }), 'closed');
  await system.shutdown();
});

test('supervised like any behaviour: a crash restarts it closed; its callbacks and options are checked at start', async (t) => {
  const { system } = capturingSystem();
  await Supervisor.start(system, {
    strategy: 'one_for_one',
    children: [childSpec(FlakyService, { failureThreshold: 1, resetAfterMs: 60_000 }, { id: 'breaker', options: { name: 'breaker' } })],
  });
  const ref = system.whereis<BreakerProtocol<string, string>>('breaker')!;
  await run(ref, 'fail');
  t.is(await call(ref, { type: 'mode' }), 'open');
  system.exit(ref, 'crash');
  t.true(await eventually(() => system.whereis('breaker') !== undefined && system.whereis('breaker') !== ref));
  t.is(await call(system.whereis<BreakerProtocol<string, string>>('breaker')!, { type: 'mode' }), 'closed');

  class NoExecute extends CircuitBreaker<string, string> {
    override execute = 'not a function' as never;
  }
  await t.throwsAsync(system.spawn(NoExecute, { failureThreshold: 1, resetAfterMs: 1 }), { instanceOf: InvalidBehaviourError, message: /NoExecute\.execute must be a method/ });
  await t.throwsAsync(system.spawn(FlakyService, { failureThreshold: 0, resetAfterMs: 1 }), { message: /options\.failureThreshold must be an integer > 0/ });
  await system.shutdown();
});

test('docs/behaviours.md shows exactly this CircuitBreaker.ts', (t) => {
  const source = readFileSync(new URL('../../../test/behaviour/CircuitBreaker.ts', import.meta.url), 'utf8');
  const doc = readFileSync(new URL('../../../../../docs/behaviours.md', import.meta.url), 'utf8');
  const marker = '<!-- code: packages/core/test/behaviour/CircuitBreaker.ts -->\n```ts\n';
  const start = doc.indexOf(marker);
  t.true(start >= 0, 'the doc has the marked code block');
  const body = doc.slice(start + marker.length, doc.indexOf('```\n', start + marker.length));
  t.is(body.replace("from '@arbor/core';", "from '../../src/index.js';"), source);
});
