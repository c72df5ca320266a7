export { cyclicArray, deepArray, junkValues, probe, showOutcome, type Outcome } from './junkProbe.js';
