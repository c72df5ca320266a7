/** Machines the tests run, each with typed events. */
import { assign, fromCallback, fromPromise, sendTo, setup, type AnyActorRef } from 'xstate';

export type LightEvent = { type: 'TIMER' } | { type: 'BREAK' } | { type: 'BAD'; reason: string };

/** A traffic light: TIMER cycles it, BAD throws from an action, BREAK throws from a guard. */
export const lightMachine = setup({
  types: { context: {} as { cycles: number }, events: {} as LightEvent },
  actions: {
    explode: (_, params: { reason: string }) => {
      throw new Error(params.reason);
    },
  },
  guards: {
    broken: () => {
      throw new Error('guard blew up');
    },
  },
}).createMachine({
  id: 'light',
  context: { cycles: 0 },
  initial: 'green',
  on: {
    BAD: { actions: { type: 'explode', params: ({ event }) => ({ reason: event.reason }) } },
    BREAK: { guard: 'broken', target: '.red' },
  },
  states: {
    green: { on: { TIMER: 'yellow' } },
    yellow: { on: { TIMER: 'red' } },
    red: { on: { TIMER: { target: 'green', actions: assign({ cycles: ({ context }) => context.cycles + 1 }) } } },
  },
});

/** A counter with an amount in its events, for typed-event and persistence tests. */
export const counterMachine = setup({
  types: { context: {} as { n: number }, events: {} as { type: 'ADD'; by: number } | { type: 'CRASH' } | { type: 'FINISH' } },
  actions: {
    crash: () => {
      throw new Error('crash requested');
    },
  },
}).createMachine({
  id: 'counter',
  context: { n: 0 },
  initial: 'counting',
  states: {
    counting: {
      on: {
        ADD: { actions: assign({ n: ({ context, event }) => context.n + event.by }) },
        CRASH: { actions: 'crash' },
        FINISH: 'finished',
      },
    },
    finished: { type: 'final' },
  },
});

/** What the ticker callbacks did, for leak checks. */
export interface TickerProbe {
  started: number;
  cleaned: number;
  ticks: number;
  readonly handles: NodeJS.Timeout[];
}

export function tickerProbe(): TickerProbe {
  return { started: 0, cleaned: 0, ticks: 0, handles: [] };
}

/** xstate issue 5153: a machine that invokes an interval callback and can be made to fail. */
export function tickingMachine(probe: TickerProbe) {
  const ticker = fromCallback(({ sendBack }) => {
    probe.started++;
    const h = setInterval(() => {
      probe.ticks++;
      sendBack({ type: 'TICK' });
    }, 2);
    probe.handles.push(h);
    return () => {
      clearInterval(h);
      probe.cleaned++;
    };
  });
  return setup({
    types: { context: {} as { ticks: number }, events: {} as { type: 'TICK' } | { type: 'FAIL' } | { type: 'SPAWN' } },
    actors: { ticker },
    actions: {
      fail: () => {
        throw new Error('parent failed');
      },
    },
  }).createMachine({
    id: 'ticking',
    context: { ticks: 0 },
    invoke: { src: 'ticker', id: 'ticker' },
    on: {
      TICK: { actions: assign({ ticks: ({ context }) => context.ticks + 1 }) },
      FAIL: { actions: 'fail' },
    },
  });
}

/** Loads a value through an invoked promise; `fail` makes it reject (with no onError: an unhandled child error). */
export function loaderMachine(load: (input: { fail: boolean }, signal: AbortSignal) => Promise<string>) {
  return setup({
    types: { context: {} as { value: string | null; fail: boolean }, events: {} as { type: 'LOAD' }, input: {} as { fail: boolean } },
    actors: { loader: fromPromise<string, { fail: boolean }>(({ input, signal }) => load(input, signal)) },
  }).createMachine({
    id: 'loader',
    context: ({ input }) => ({ value: null, fail: input.fail }),
    initial: 'idle',
    states: {
      idle: { on: { LOAD: 'loading' } },
      loading: {
        invoke: {
          src: 'loader',
          input: ({ context }) => ({ fail: context.fail }),
          onDone: { target: 'loaded', actions: assign({ value: ({ event }) => event.output }) },
        },
      },
      loaded: {},
    },
  });
}

/** A machine with a delayed transition, and one whose delayed transition throws. */
export const delayedMachine = setup({
  types: { events: {} as { type: 'ARM' } | { type: 'ARM_BAD' } },
  actions: {
    explode: () => {
      throw new Error('delayed action blew up');
    },
  },
}).createMachine({
  id: 'delayed',
  initial: 'idle',
  states: {
    idle: { on: { ARM: 'armed', ARM_BAD: 'armedBad' } },
    armed: { after: { 5: 'fired' } },
    armedBad: { after: { 5: { target: 'fired', actions: 'explode' } } },
    fired: {},
  },
});

/** A parent that spawns child machines with delayed self-transitions (timers that must not leak). */
export const spawnerMachine = setup({
  types: { context: {} as { kids: AnyActorRef[] }, events: {} as { type: 'SPAWN' } | { type: 'PING' } },
  actors: {
    kid: setup({}).createMachine({ initial: 'a', states: { a: { after: { 10_000: 'b' } }, b: {} } }),
  },
}).createMachine({
  id: 'spawner',
  context: { kids: [] },
  on: {
    SPAWN: { actions: assign({ kids: ({ context, spawn }) => [...context.kids, spawn('kid')] }) },
    PING: { actions: sendTo(({ context }) => context.kids[0]!, { type: 'PING' }) },
  },
});
