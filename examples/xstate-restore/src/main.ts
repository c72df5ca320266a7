/** `npm start` in examples/xstate-restore: runs the example, printing to stdout. */
import { runMachine } from './machine.js';

await runMachine(console.log);
