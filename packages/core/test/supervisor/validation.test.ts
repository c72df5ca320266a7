/**
 * Validation (reference semantics §3): every bad flag or child spec is its own typed error
 * (instanceof + literal `code`) with a message that says what to fix, raised at
 * Supervisor.start (which rejects with it, starting no child) and at startChild.
 */
import test from 'ava';
import {
  ArborError,
  BadSignificantError,
  childSpec,
  createSystem,
  DuplicateChildIdError,
  DynamicSupervisor,
  InvalidAutoShutdownError,
  InvalidBackoffError,
  InvalidChildTypeError,
  InvalidIntensityError,
  InvalidOptionError,
  InvalidPeriodError,
  InvalidRestartTypeError,
  InvalidShutdownError,
  InvalidStartTimeoutError,
  InvalidStrategyError,
  MissingChildIdError,
  MissingChildStartError,
  Supervisor,
  SupervisorSpecError,
  UnknownChildSpecKeyError,
  type ChildSpec,
  type SupervisorDef,
} from '../../src/index.js';
import { Worker, worker } from '../support/supervisorWorkers.js';

type ErrorClass = abstract new (...args: never[]) => Error;

interface Case {
  readonly label: string;
  /** Builds the bad definition; `ok` is a valid child spec to put before the bad one. */
  readonly def: (ok: ChildSpec) => unknown;
  readonly error: ErrorClass;
  readonly code: string;
  readonly message: RegExp;
}

const spec = (over: Record<string, unknown>): ChildSpec => ({ id: 'x', start: { behaviour: Worker, arg: { id: 'x', events: [] } }, ...over }) as ChildSpec;

const flagCases: Case[] = [
  { label: "strategy 'one_for_some'", def: (ok) => ({ strategy: 'one_for_some', children: [ok] }), error: InvalidStrategyError, code: 'invalid_strategy', message: /strategy must be one of 'one_for_one', 'one_for_all', 'rest_for_one', got: "one_for_some"/ },
  { label: 'intensity -1', def: (ok) => ({ intensity: -1, children: [ok] }), error: InvalidIntensityError, code: 'invalid_intensity', message: /intensity must be an integer >= 0 .*got: -1 \(number\)/ },
  { label: 'intensity 1.5', def: (ok) => ({ intensity: 1.5, children: [ok] }), error: InvalidIntensityError, code: 'invalid_intensity', message: /got: 1\.5/ },
  { label: "intensity '3'", def: (ok) => ({ intensity: '3', children: [ok] }), error: InvalidIntensityError, code: 'invalid_intensity', message: /got: "3"/ },
  { label: 'period 0', def: (ok) => ({ period: 0, children: [ok] }), error: InvalidPeriodError, code: 'invalid_period', message: /period must be an integer > 0 \(milliseconds.*got: 0 \(number\)/ },
  { label: 'period 2.5', def: (ok) => ({ period: 2.5, children: [ok] }), error: InvalidPeriodError, code: 'invalid_period', message: /got: 2\.5/ },
  { label: 'period Infinity', def: (ok) => ({ period: Infinity, children: [ok] }), error: InvalidPeriodError, code: 'invalid_period', message: /got: Infinity/ },
  { label: "autoShutdown 'sometimes'", def: (ok) => ({ autoShutdown: 'sometimes', children: [ok] }), error: InvalidAutoShutdownError, code: 'invalid_auto_shutdown', message: /autoShutdown must be 'never', 'any_significant' or 'all_significant', got: "sometimes"/ },
  { label: 'backoff not an object', def: (ok) => ({ backoff: 'fast', children: [ok] }), error: InvalidBackoffError, code: 'invalid_backoff', message: /backoff\. must be an object \{ initialMs, maxMs, factor\? \}, got: "fast"/ },
  { label: 'backoff.initialMs -1', def: (ok) => ({ backoff: { initialMs: -1, maxMs: 10 }, children: [ok] }), error: InvalidBackoffError, code: 'invalid_backoff', message: /backoff\.initialMs must be a number of milliseconds greater than 0 and at most 2147483647 \(it is multiplied by factor at each restart\), got: -1/ },
  { label: 'backoff.initialMs 0', def: (ok) => ({ backoff: { initialMs: 0, maxMs: 10 }, children: [ok] }), error: InvalidBackoffError, code: 'invalid_backoff', message: /backoff\.initialMs must be a number of milliseconds greater than 0/ },
  { label: 'backoff.maxMs past the longest timer', def: (ok) => ({ backoff: { initialMs: 1, maxMs: 2 ** 31 }, children: [ok] }), error: InvalidBackoffError, code: 'invalid_backoff', message: /backoff\.maxMs must be a number of milliseconds from 1 to 2147483647 \(at least initialMs\)/ },
  { label: 'backoff.maxMs < initialMs', def: (ok) => ({ backoff: { initialMs: 10, maxMs: 5 }, children: [ok] }), error: InvalidBackoffError, code: 'invalid_backoff', message: /backoff\.maxMs must be a number of milliseconds from 10 to 2147483647 \(at least initialMs\), got: 5/ },
  { label: 'backoff.factor 0.5', def: (ok) => ({ backoff: { initialMs: 1, maxMs: 2, factor: 0.5 }, children: [ok] }), error: InvalidBackoffError, code: 'invalid_backoff', message: /backoff\.factor must be a finite number >= 1, got: 0\.5/ },
];

const childCases: Case[] = [
  { label: 'no id', def: (ok) => ({ children: [ok, spec({ id: undefined })] }), error: MissingChildIdError, code: 'missing_id', message: /a child spec needs an id \(a non-empty string.*got: undefined; use childSpec\(Behaviour, arg, \{ id \}\)/ },
  { label: "id ''", def: (ok) => ({ children: [ok, spec({ id: '' })] }), error: MissingChildIdError, code: 'missing_id', message: /got: ""/ },
  { label: 'id 42', def: (ok) => ({ children: [ok, spec({ id: 42 })] }), error: MissingChildIdError, code: 'missing_id', message: /got: 42 \(number\)/ },
  { label: 'a spec that is null', def: (ok) => ({ children: [ok, null] }), error: MissingChildIdError, code: 'missing_id', message: /got: null/ },
  { label: 'no start', def: (ok) => ({ children: [ok, spec({ start: undefined })] }), error: MissingChildStartError, code: 'missing_start', message: /child "x" needs start: \{ behaviour, arg, options\? \} or a function \(starter\) => starter\.startLink\(\.\.\.\), got: undefined/ },
  { label: 'start {}', def: (ok) => ({ children: [ok, spec({ start: {} })] }), error: MissingChildStartError, code: 'missing_start', message: /got: an object/ },
  { label: 'start with a behaviour name, not a class', def: (ok) => ({ children: [ok, spec({ start: { behaviour: 'Worker', arg: 1 } })] }), error: MissingChildStartError, code: 'missing_start', message: /child "x" needs start/ },
  { label: 'start without arg', def: (ok) => ({ children: [ok, spec({ start: { behaviour: Worker } })] }), error: MissingChildStartError, code: 'missing_start', message: /child "x" needs start/ },
  { label: "restart 'sometimes'", def: (ok) => ({ children: [ok, spec({ restart: 'sometimes' })] }), error: InvalidRestartTypeError, code: 'invalid_restart_type', message: /child "x": restart must be 'permanent', 'transient' or 'temporary', got: "sometimes"/ },
  { label: 'shutdown -1', def: (ok) => ({ children: [ok, spec({ shutdown: -1 })] }), error: InvalidShutdownError, code: 'invalid_shutdown', message: /child "x": shutdown must be an integer number of milliseconds from 0 to 2147483647, or 'infinity' \(wait forever\) or 'brutal_kill', got: -1 \(number\)/ },
  { label: 'shutdown past the longest timer', def: (ok) => ({ children: [ok, spec({ shutdown: 2 ** 31 })] }), error: InvalidShutdownError, code: 'invalid_shutdown', message: /got: 2147483648/ },
  { label: 'shutdown 1.5', def: (ok) => ({ children: [ok, spec({ shutdown: 1.5 })] }), error: InvalidShutdownError, code: 'invalid_shutdown', message: /got: 1\.5/ },
  { label: "shutdown 'never'", def: (ok) => ({ children: [ok, spec({ shutdown: 'never' })] }), error: InvalidShutdownError, code: 'invalid_shutdown', message: /got: "never"/ },
  { label: "type 'manager'", def: (ok) => ({ children: [ok, spec({ type: 'manager' })] }), error: InvalidChildTypeError, code: 'invalid_child_type', message: /child "x": type must be 'worker' or 'supervisor', got: "manager"/ },
  { label: 'a duplicate id', def: (ok) => ({ children: [ok, spec({ id: 'x' }), spec({ id: 'x' })] }), error: DuplicateChildIdError, code: 'duplicate_child_name', message: /child id "x" is used twice in one supervisor; give each child spec its own id/ },
  { label: 'significant and permanent', def: (ok) => ({ autoShutdown: 'any_significant', children: [ok, spec({ significant: true })] }), error: BadSignificantError, code: 'bad_combination', message: /child "x": a significant child must be transient or temporary/ },
  { label: "significant under autoShutdown 'never'", def: (ok) => ({ children: [ok, spec({ significant: true, restart: 'transient' })] }), error: BadSignificantError, code: 'bad_combination', message: /child "x" is significant but the supervisor's autoShutdown is 'never'; set autoShutdown/ },
];

for (const c of [...flagCases, ...childCases]) {
  test(`Supervisor.start rejects ${c.label} with ${c.error.name}, starting no child`, async (t) => {
    const system = createSystem();
    const events: string[] = [];
    const err = await t.throwsAsync(Supervisor.start(system, c.def(worker('ok', events)) as SupervisorDef));
    t.true(err instanceof c.error, `got ${err?.constructor.name}: ${err?.message}`);
    t.true(err instanceof SupervisorSpecError);
    t.true(err instanceof ArborError);
    t.is((err as unknown as { code: string }).code, c.code);
    t.is(err.name, c.error.name);
    t.regex(err.message, c.message);
    t.deepEqual(events, [], 'validation comes before any start');
    t.is(system.size, 0);
    await system.shutdown();
  });
}

// A duplicate id at startChild is not an error: it answers already_started / already_present (api.test.ts).
for (const c of childCases.filter((c) => c.error !== DuplicateChildIdError)) {
  test(`Supervisor.startChild rejects ${c.label} with ${c.error.name}; the supervisor lives on`, async (t) => {
    const system = createSystem();
    const events: string[] = [];
    const def = c.def(worker('ok', events)) as { autoShutdown?: 'any_significant'; children: ChildSpec[] };
    const sup = await Supervisor.start(system, { ...(def.autoShutdown === undefined ? {} : { autoShutdown: def.autoShutdown }), children: [] });
    const err = await t.throwsAsync(Supervisor.startChild(sup, def.children.at(-1)!));
    t.true(err instanceof c.error, `got ${err?.constructor.name}: ${err?.message}`);
    t.is((err as unknown as { code: string }).code, c.code);
    t.regex(err.message, c.message);
    t.true(system.isAlive(sup));
    t.deepEqual(await Supervisor.whichChildren(sup), []);
    await system.shutdown();
  });
}

test('other malformed definitions reject with InvalidOptionError naming the option', async (t) => {
  const system = createSystem();
  const bad: [unknown, RegExp][] = [
    [{ children: 'a, b' }, /children must be an array of child specs/],
    [{}, /children must be an array of child specs/],
    [null, /supervisor definition must be an object/],
    [{ children: [spec({ significant: 'yes' })] }, /child "x": significant must be a boolean/],
  ];
  for (const [def, message] of bad) {
    const err = await t.throwsAsync(Supervisor.start(system, def as SupervisorDef));
    t.true(err instanceof InvalidOptionError, `got ${err?.constructor.name}: ${err?.message}`);
    t.regex(err.message, message);
  }
  t.is(system.size, 0);
  await system.shutdown();
});

test('DynamicSupervisor.start rejects bad flags with the same typed errors', async (t) => {
  const system = createSystem();
  const cases: [object, ErrorClass, RegExp][] = [
    [{ intensity: -1 }, InvalidIntensityError, /intensity must be an integer >= 0/],
    [{ period: 0 }, InvalidPeriodError, /period must be an integer > 0/],
    [{ backoff: { initialMs: 5, maxMs: 1 } }, InvalidBackoffError, /backoff\.maxMs/],
    [{ maxChildren: -1 }, InvalidOptionError, /maxChildren must be an integer >= 0 or Infinity/],
    [{ maxChildren: 2.5 }, InvalidOptionError, /maxChildren/],
  ];
  for (const [options, error, message] of cases) {
    const err = await t.throwsAsync(DynamicSupervisor.start(system, options));
    t.true(err instanceof error, `got ${err?.constructor.name}: ${err?.message}`);
    t.regex(err.message, message);
  }
  t.is(system.size, 0);
  await system.shutdown();
});

test('DynamicSupervisor.startChild rejects a bad spec with its typed error (an id is optional there)', async (t) => {
  const system = createSystem();
  const sup = await DynamicSupervisor.start(system);
  const cases: [object, ErrorClass][] = [
    [{ start: undefined }, MissingChildStartError],
    [{ start: { behaviour: Worker, arg: { id: 'x', events: [] } }, restart: 'sometimes' }, InvalidRestartTypeError],
    [{ start: { behaviour: Worker, arg: { id: 'x', events: [] } }, shutdown: -5 }, InvalidShutdownError],
    [{ start: { behaviour: Worker, arg: { id: 'x', events: [] } }, type: 'boss' }, InvalidChildTypeError],
    [{ start: { behaviour: Worker, arg: { id: 'x', events: [] } }, restart: 'transient', significant: true }, BadSignificantError],
  ];
  for (const [bad, error] of cases) {
    const err = await t.throwsAsync(DynamicSupervisor.startChild(sup, bad as never));
    t.true(err instanceof error, `got ${err?.constructor.name}: ${err?.message}`);
  }
  const ok = await DynamicSupervisor.startChild(sup, { start: { behaviour: Worker, arg: { id: 'x', events: [] } } });
  t.is(ok.status, 'ok');
  t.deepEqual(await DynamicSupervisor.countChildren(sup), { specs: 1, active: 1, supervisors: 0, workers: 1 });
  await system.shutdown();
});

test('valid edge values are accepted: intensity 0, shutdown 0, brutal_kill, infinity, childSpec overrides', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    intensity: 0,
    period: 1,
    backoff: { initialMs: 1, maxMs: 1, factor: 1 },
    children: [
      worker('a', events, { shutdown: 0 }),
      worker('b', events, { shutdown: 'brutal_kill' }),
      worker('c', events, { shutdown: 'infinity', type: 'worker' }),
      childSpec(Worker, { id: 'd', events }, { id: 'd', restart: 'transient' }),
    ],
  });
  t.deepEqual(Object.keys(await Supervisor.whichChildren(sup).then((cs) => Object.fromEntries(cs.map((c) => [c.id, c])))), ['a', 'b', 'c', 'd']);
  await system.shutdown();
});

test('a child spec with an unknown key is rejected with UnknownChildSpecKeyError naming the closest known key (static, dynamic, childSpec overrides)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const start = { behaviour: Worker, arg: { id: 'w', events } };
  const typo = { id: 'w', start, shutdwon: 100 } as unknown as ChildSpec;
  const e1 = await t.throwsAsync(Supervisor.start(system, { children: [typo] }), { instanceOf: UnknownChildSpecKeyError });
  t.is(e1.code, 'unknown_child_spec_key');
  t.like(e1, { childId: 'w', key: 'shutdwon', suggestion: 'shutdown' });
  t.regex(e1.message, /unknown key "shutdwon".*did you mean "shutdown"\?/);
  t.deepEqual(events, [], 'no child started');

  const sup = await Supervisor.start(system, { children: [] });
  await t.throwsAsync(Supervisor.startChild(sup, { id: 'r', start, restrat: 'temporary' } as unknown as ChildSpec), { instanceOf: UnknownChildSpecKeyError, message: /did you mean "restart"\?/ });
  await t.throwsAsync(Supervisor.startChild(sup, childSpec(Worker, { id: 'x', events }, { signficant: true } as never)), { instanceOf: UnknownChildSpecKeyError, message: /did you mean "significant"\?/ });
  const dyn = await DynamicSupervisor.start(system, {});
  await t.throwsAsync(DynamicSupervisor.startChild(dyn, { start, startTimout: 10 } as never), { instanceOf: UnknownChildSpecKeyError, message: /did you mean "startTimeout"\?/ });
  // Nothing close: the message lists the keys a child spec takes.
  const far = await t.throwsAsync(Supervisor.startChild(sup, { id: 'f', start, banana: 1 } as unknown as ChildSpec), { instanceOf: UnknownChildSpecKeyError });
  t.is(far.suggestion, undefined);
  t.regex(far.message, /takes only id, start, restart, shutdown, type, significant, startTimeout/);
  t.deepEqual(events, []);
  await system.shutdown();
});

test('startTimeout must be an integer from 1 to 2^31-1 ms or Infinity: InvalidStartTimeoutError', async (t) => {
  const system = createSystem();
  const start = { behaviour: Worker, arg: { id: 'w', events: [] } };
  for (const bad of [0, -1, 1.5, 2 ** 31, Number.NaN, '100']) {
    await t.throwsAsync(Supervisor.start(system, { children: [{ id: 'w', start, startTimeout: bad as number }] }), { instanceOf: InvalidStartTimeoutError, code: 'invalid_start_timeout' });
  }
  const sup = await Supervisor.start(system, { children: [{ id: 'w', start, startTimeout: Infinity }] });
  t.true(system.isAlive(sup));
  await system.shutdown();
});

test('childSpec overrides that are not an object are refused with InvalidOptionError (childSpec(C, arg, 5))', (t) => {
  const arg = { id: 'w', events: [] };
  for (const bad of [5, 'transient', null, true, [{ id: 'x' }]]) {
    const e = t.throws(() => childSpec(Worker, arg, bad as never), { instanceOf: InvalidOptionError });
    t.is(e.code, 'invalid_option');
    t.regex(e.message, /^childSpec: overrides must be an object of child-spec fields .* or undefined, got: /);
  }
  t.throws(() => Supervisor.childSpec({ children: [] }, 5 as never), { instanceOf: InvalidOptionError, message: /childSpec: overrides/ });
  // undefined and an object still work.
  t.is(childSpec(Worker, arg, undefined).id, 'Worker');
  t.is(childSpec(Worker, arg, { id: 'w2' }).id, 'w2');
});

test('DynamicSupervisor.terminateChild with a value that is not an ActorRef rejects with InvalidOptionError, not "not_found"', async (t) => {
  const system = createSystem();
  const sup = await DynamicSupervisor.start(system, {});
  for (const bad of [5, 'w', null, undefined, {}]) {
    await t.throwsAsync(DynamicSupervisor.terminateChild(sup, bad as never), {
      instanceOf: InvalidOptionError,
      message: /^DynamicSupervisor\.terminateChild: ref must be an ActorRef returned by spawn, got: /,
    });
  }
  // A real ref that is not its child still answers 'not_found'.
  const other = await system.spawn(Worker, { id: 'o', events: [] });
  t.is(await DynamicSupervisor.terminateChild(sup, other), 'not_found');
  t.true(system.isAlive(sup));
  await system.shutdown();
});
