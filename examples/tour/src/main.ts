/**
 * Entry point of `npm start` in examples/tour: runs its three parts in order, printing
 * them to stdout: actor basics (one), a supervision tree seen through the dump (two), and
 * two named checkout pools, one of Python workers restarted by crashes and stopped by name
 * (three). Exits 0 when all complete (each shuts its system down, so nothing keeps the
 * process alive), 1 if a part fails.
 */
import { runActorBasics } from './actorBasics.js';
import { runPools } from './pools/pools.js';
import { runTree } from './tree/tree.js';

try {
  await runActorBasics(console.log);
  await runTree(console.log);
  await runPools(console.log);
} catch (error) {
  console.error('The tour failed:', error);
  process.exitCode = 1;
}
