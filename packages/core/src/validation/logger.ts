import type { Logger } from 'winston';
import { InvalidOptionError } from '../errors/errors.js';

/** The logger methods Arbor calls. */
const METHODS = ['log', 'error', 'warn', 'info', 'debug', 'isLevelEnabled'] as const;

/**
 * The rule for a logger option: a winston Logger (anything with `log`, `error`, `warn`,
 * `info`, `debug` and `isLevelEnabled` methods), checked when it is given rather than when
 * the first report is logged. Throws `InvalidOptionError`. @internal
 *
 * @example
 * checkLogger('options.logger', options.logger);
 */
export function checkLogger(option: string, value: unknown): Logger {
  if (typeof value === 'object' && value !== null && METHODS.every((m) => typeof (value as Record<string, unknown>)[m] === 'function')) return value as Logger;
  throw new InvalidOptionError(option, 'a winston Logger (from createLogger() or winston.createLogger())', value);
}
