// The fault matrix through the worker actor, thread profile (see support/faultMatrix.ts).
import test from 'ava';
import { createLogger, createSystem } from '@arbor/core';
import { threadProfile } from '../../src/index.js';
import { faultMatrix } from '../support/faultMatrix.js';

const system = createSystem({ logger: createLogger('silent') });
test.after.always(() => system.shutdown());

const module = new URL('../fixtures/nodeWorker.js', import.meta.url);

faultMatrix(test, {
  kind: 'thread',
  system,
  isProcess: false,
  profile: (variant) => threadProfile({ module, ...(variant === 'memoryCapped' ? { resourceLimits: { maxOldGenerationSizeMb: 32 } } : {}) }),
  brokenProfile: () => threadProfile({ module: new URL('../fixtures/throwsAtImport.js', import.meta.url) }),
  calls: {
    throws: Object.assign(['fail', 'boom'] as const, { message: /TypeError: boom/ }),
    exits: [Object.assign(['exit', 1] as const, { title: 'process.exit(1)' })],
    exitIdle: { call: ['exitLater', 2], reply: 'exiting' },
    busy: ['spin', 60_000],
    oom: ['oom', null],
    cooperative: ['waitForAbort', null],
    cpuLoop: ['spin', 60_000],
    probe: ['spin', 20],
  },
  // A thread has no pid to signal: the closest outside kill is killing its actor (worker.terminate() on a busy thread).
  killsFromOutside: [{ how: 'the actor is killed (system.exit(ref, "kill"): worker.terminate())', kill: (h) => system.exit(h.ref, 'kill'), exit: { reason: 'killed', by: 'arbor', cause: 'shutdown' } }],
  memory: { dies: { reason: 'oom' } },
});
