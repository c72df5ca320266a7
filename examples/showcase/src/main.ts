/**
 * Entry point of `npm run demo`: runs the showcase (part one: actors) and the tree
 * (part two: supervision, the registry and the dump), printing both to stdout. Exits 0
 * when both complete (their systems are shut down, so nothing keeps the process alive),
 * 1 if a scene fails.
 */
import { runShowcase } from './showcase.js';
import { runTables } from './tables/tables.js';
import { runTree } from './tree/tree.js';

try {
  await runShowcase(console.log);
  await runTree(console.log);
  await runTables(console.log);
} catch (error) {
  console.error('The showcase failed:', error);
  process.exitCode = 1;
}
