/**
 * Entry point of `npm run demo`: runs the showcase (part one: actors), the tree
 * (part two: supervision, the registry and the dump) and the behaviours (part three:
 * Agent, Task, TaskSupervisor), printing them to stdout. Exits 0 when all complete (their systems are shut down, so nothing keeps the process alive),
 * 1 if a scene fails.
 */
import { runShowcase } from './showcase.js';
import { runProcesses } from './processes/processes.js';
import { runMachine } from './machine/machine.js';
import { runTree } from './tree/tree.js';
import { runBehaviours } from './behaviours/behaviours.js';

try {
  await runShowcase(console.log);
  await runTree(console.log);
  await runBehaviours(console.log);
  await runMachine(console.log);
  await runProcesses(console.log);
} catch (error) {
  console.error('The showcase failed:', error);
  process.exitCode = 1;
}
