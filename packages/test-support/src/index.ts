export { cyclicArray, deepArray, junkValues, probe, probeErrorConstructors, showOutcome, type Outcome } from './junkProbe.js';
