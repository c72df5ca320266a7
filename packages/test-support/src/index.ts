export { capturingLogger, type LogLine } from './capturingLogger.js';
export { eventually } from './eventually.js';
export { exitReasonOf, type ExitWatchable } from './exitReasonOf.js';
export { cyclicArray, deepArray, junkValues, probe, probeErrorConstructors, showOutcome, type Outcome } from './junkProbe.js';
export { pollUntil } from './pollUntil.js';
export { settle } from './settle.js';
export { isAlive } from './processAlive.js';
export { sleep } from './sleep.js';
export { hasNatsServer, startNatsServer, type NatsServer, type NatsServerOptions } from './natsServer.js';
