/**
 * Entry point of `npm run demo`: runs the showcase and prints it to stdout. Exits 0 when
 * it completes (the system is shut down, so no timers keep the process alive), 1 if a
 * scene fails.
 */
import { runShowcase } from './showcase.js';

try {
  await runShowcase(console.log);
} catch (error) {
  console.error('The showcase failed:', error);
  process.exitCode = 1;
}
