// The fault matrix through the worker actor, node-process profile (see support/faultMatrix.ts).
import test from 'ava';
import { nodeProcessProfile } from '../../src/index.js';
import { faultMatrix } from '../support/faultMatrix.js';
import { cleanUpFile, rig } from '../support/helpers.js';

const r = await rig();
test.after.always(async () => {
  await r.close();
  await cleanUpFile();
});

const module = new URL('../fixtures/nodeWorker.js', import.meta.url);

faultMatrix(test, {
  kind: 'node-process',
  system: r.system,
  isProcess: true,
  profile: (variant) => nodeProcessProfile({ module, ...(variant === 'memoryCapped' ? { execArgv: ['--max-old-space-size=64'] } : {}) }),
  brokenProfile: () => nodeProcessProfile({ module: new URL('../fixtures/throwsAtImport.js', import.meta.url) }),
  calls: {
    throws: Object.assign(['fail', 'boom'] as const, { message: /TypeError: boom/ }),
    exits: [Object.assign(['exit', 1] as const, { title: 'process.exit(1)' })],
    exitIdle: { call: ['exitOnSignal', 2], reply: 'armed', trigger: (pid) => process.kill(pid!, 'SIGUSR2') },
    busy: ['spin', 60_000],
    oom: ['oom', null],
    cooperative: ['waitForAbort', null],
    cpuLoop: ['spin', 60_000],
    probe: ['spin', 20],
  },
  killsFromOutside: [
    { how: 'SIGKILL from outside', kill: (_h, pid) => process.kill(pid!, 'SIGKILL'), exit: { reason: 'killed', by: 'external', signal: 'SIGKILL' } },
    { how: 'SIGTERM from outside', kill: (_h, pid) => process.kill(pid!, 'SIGTERM'), exit: { reason: 'crash', signal: 'SIGTERM' } },
  ],
  memory: { dies: { reason: 'oom' } },
});
