/**
 * Entry point of `npm run demo`: runs the nine parts in order, printing them to stdout:
 * actors (one), a supervision tree seen through the dump (two), Agent / Task /
 * TaskSupervisor (three), an xstate machine crashed and restored (four), orphaned OS
 * workers cleaned up by the process registry (five), shared tables from a table owner
 * (six), a supervised Python worker and thread worker, one SIGKILLed mid-request
 * (seven), two named checkout pools, one of Python workers restarted by crashes and
 * stopped by name (eight), and job pools: a tenant pool delegating to a shared pool of
 * threads, budgets, an OOM job and kills by name (nine). Exits 0 when all complete (each shuts its system down, so nothing keeps the
 * process alive), 1 if a part fails.
 */
import { runBehaviours } from './behaviours/behaviours.js';
import { runJobs } from './jobs/jobs.js';
import { runMachine } from './machine/machine.js';
import { runPools } from './pools/pools.js';
import { runProcesses } from './processes/processes.js';
import { runShowcase } from './showcase.js';
import { runTables } from './tables/tables.js';
import { runTree } from './tree/tree.js';
import { runWorkers } from './workers/workers.js';

try {
  await runShowcase(console.log);
  await runTree(console.log);
  await runBehaviours(console.log);
  await runMachine(console.log);
  await runProcesses(console.log);
  await runTables(console.log);
  await runWorkers(console.log);
  await runPools(console.log);
  await runJobs(console.log);
} catch (error) {
  console.error('The showcase failed:', error);
  process.exitCode = 1;
}
