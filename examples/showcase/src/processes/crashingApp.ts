// A separate application process for the processes scene: it starts a process registry on
// the LMDB file named in argv, spawns two workers (each an idle Node process) through
// spawnWorker, prints `{ runId, pids }`, and waits to be SIGKILLed.
import { createLogger, createSystem } from '@arbor/core';
import { ProcessRegistry, spawnWorker } from '@arbor/process-registry';

const system = createSystem({ logger: createLogger('silent') });
const registry = await ProcessRegistry.start(system, { path: process.argv[2]! });
const idle = ['-e', 'setInterval(() => {}, 1 << 30)'];
const pids: number[] = [];
for (const workerId of ['py-1', 'py-2']) {
  pids.push((await spawnWorker(registry, { workerId, command: process.execPath, args: idle, fingerprint: 'idle:v1' })).pid);
}
process.stdout.write(`${JSON.stringify({ runId: await registry.getRunId(), pids })}\n`);
setInterval(() => undefined, 1 << 30);
