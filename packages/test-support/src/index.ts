export { cyclicArray, deepArray, junkValues, probe, probeErrorConstructors, showOutcome, type Outcome } from './junkProbe.js';
export { isAlive } from './processAlive.js';
