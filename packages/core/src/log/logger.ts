import winston from 'winston';
import { InvalidOptionError } from '../errors/errors.js';

/** Log levels Arbor uses; `silent` turns logging off. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

const LEVELS: readonly LogLevel[] = ['silent', 'error', 'warn', 'info', 'debug'];

/**
 * Creates the default winston logger: JSON lines with a timestamp on stderr.
 * The level comes from `level`, else `ARBOR_LOG_LEVEL`, else `info`
 * (tests set `ARBOR_LOG_LEVEL=silent`, so they stay quiet).
 *
 * @example
 * const system = createSystem({ logger: createLogger('debug') });
 */
export function createLogger(level?: LogLevel): winston.Logger {
  if (level !== undefined && !LEVELS.includes(level)) throw new InvalidOptionError('createLogger: level', `one of ${LEVELS.map((l) => `'${l}'`).join(', ')}`, level);
  const fromEnv = process.env['ARBOR_LOG_LEVEL'] as LogLevel | undefined;
  const chosen = level ?? (fromEnv !== undefined && LEVELS.includes(fromEnv) ? fromEnv : 'info');
  return winston.createLogger({
    level: chosen === 'silent' ? 'error' : chosen,
    silent: chosen === 'silent',
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
  });
}
