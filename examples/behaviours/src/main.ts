/** `npm start` in examples/behaviours: runs the example, printing to stdout. */
import { runBehaviours } from './behaviours.js';

await runBehaviours(console.log);
