// The fault matrix through the worker actor, Python profile (capacity 2; see support/faultMatrix.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { pythonProfile } from '../../src/index.js';
import { faultMatrix } from '../support/faultMatrix.js';
import { cleanUpFile, fixture, rig, tempDir } from '../support/helpers.js';

const r = await rig();
test.after.always(async () => {
  await r.close();
  await cleanUpFile();
});

const script = fixture('worker.py');
const exitFlag = join(tempDir(), 'exit-now');

faultMatrix(test, {
  kind: 'python',
  system: r.system,
  isProcess: true,
  profile: (variant) => pythonProfile({ script, capacity: 2, ...(variant === 'memoryCapped' ? { addressSpaceLimitBytes: 512 * 1024 * 1024 } : {}) }),
  brokenProfile: () => pythonProfile({ script: fixture('bad_import.py') }),
  calls: {
    throws: Object.assign(['fail', 'boom'] as const, { message: /ValueError: boom/ }),
    exits: [Object.assign(['leave', 1] as const, { title: 'sys.exit(1)' }), Object.assign(['hard_exit', 1] as const, { title: 'os._exit(1)' })],
    exitIdle: { call: ['exit_when_file', { path: exitFlag, code: 2 }], reply: 'armed', trigger: () => writeFileSync(exitFlag, '') },
    busy: ['hold', 1],
    oom: ['alloc', 1024],
    // no cooperative cancel: a running Python handler cannot be interrupted (a cancel only drops a queued one)
    cpuLoop: ['spin', null],
    probe: ['rendezvous', 'p'], // two at once meet at a barrier of two: both threads serve again
  },
  killsFromOutside: [
    { how: 'SIGKILL from outside', kill: (_h, pid) => process.kill(pid!, 'SIGKILL'), exit: { reason: 'killed', by: 'external', signal: 'SIGKILL' } },
    { how: 'SIGTERM from outside', kill: (_h, pid) => process.kill(pid!, 'SIGTERM'), exit: { reason: 'crash', signal: 'SIGTERM' } },
  ],
  // prlimit --as makes the allocation fail inside Python: the task fails, the worker lives
  memory: { taskErrorName: 'MemoryError' },
});
