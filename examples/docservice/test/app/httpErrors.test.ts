import test from 'ava';
import { InsufficientMemoryError, JobKilledError, JobPoolStoppedError, JobTimeoutError, JobWorkerExitError, PoolStoppedError, QueueFullError } from '@arbor/pool';
import { WorkerTaskError, type WorkerExit } from '@arbor/worker-profiles';
import { BadRequestError, NoSessionError, NotFoundError, toHttpError, UnavailableError } from '../../src/app/httpErrors.js';

const at = Date.now();
const oom: WorkerExit = { reason: 'oom', workerId: 'thread-1', kind: 'thread', threadId: 1, at };
const killed: WorkerExit = { reason: 'killed', signal: 'SIGKILL', by: 'external', workerId: 'python-1', kind: 'python', pid: 4242, at };

const cases: readonly [string, unknown, number, string][] = [
  ['a bad request', new BadRequestError('query "rounds" must be an integer'), 400, 'bad_request'],
  ['no session', new NoSessionError('send x-session'), 401, 'no_session'],
  ['no document', new NotFoundError('no document'), 404, 'not_found'],
  ['a job past its heap cap', new JobWorkerExitError('stats', 'stats', oom, 1), 507, 'oom'],
  ['a job whose worker was killed', new JobWorkerExitError('summary', 'summarize', killed, 1), 503, 'worker_exit'],
  ['a job past its deadline', new JobTimeoutError('summary', 'summarize', 3000), 504, 'timeout'],
  ['a job killed when its pool stopped', new JobKilledError('stats', 'stats', 'pool_stopped'), 503, 'killed'],
  ['a pool restarting', new JobPoolStoppedError('stats'), 503, 'pool_stopped'],
  ['a pool that did not come back in time', new PoolStoppedError('stats', 'ready'), 503, 'pool_stopped'],
  ['a full queue', new QueueFullError('stats', 100), 503, 'queue_full'],
  ['a job over the budget', new InsufficientMemoryError('stats', 64, 256, 256), 507, 'insufficient_memory'],
  ['a task that threw', new WorkerTaskError('python-1', '$task', { name: 'ValueError', message: 'bad' }), 502, 'task_failed'],
  ['python missing', new UnavailableError('python_missing', 'install python3'), 503, 'python_missing'],
  ['anything untyped', new TypeError('x is undefined'), 500, 'internal'],
];

for (const [what, error, status, code] of cases) {
  test(`toHttpError: ${what} → ${status} ${code}`, (t) => {
    const reply = toHttpError(error);
    t.is(reply.status, status);
    t.is(reply.body.error, code);
    t.is(reply.body.message, error instanceof TypeError ? 'TypeError: x is undefined' : (error as Error).message);
  });
}
