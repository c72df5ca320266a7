import winston from 'winston';
import { InvalidOptionError } from '../errors/errors.js';
import { prettyFormat } from './prettyFormat.js';

/** Log levels Arbor uses; `silent` turns logging off. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

/**
 * How log entries are written: `pretty` (one short human-readable line per entry, with the
 * first stack frames of a crash), `json` (one JSON object per line, every report key), or
 * `auto`: pretty when stderr is a terminal, JSON when it is a pipe or a file.
 */
export type LogFormat = 'auto' | 'pretty' | 'json';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Default: `ARBOR_LOG_FORMAT`, else `auto`. */
  readonly format?: LogFormat;
}

const LEVELS: readonly LogLevel[] = ['silent', 'error', 'warn', 'info', 'debug'];
const FORMATS: readonly LogFormat[] = ['auto', 'pretty', 'json'];

/**
 * Creates Arbor's default winston logger, writing to stderr. The level comes from `level`,
 * else `ARBOR_LOG_LEVEL`, else `info` (tests set `ARBOR_LOG_LEVEL=silent`, so they stay
 * quiet). The format comes from `options.format`, else `ARBOR_LOG_FORMAT`, else `auto`:
 * readable lines in a terminal, JSON lines (with a timestamp) when stderr is not a TTY.
 *
 * @example
 * const system = createSystem({ logger: createLogger('debug') });
 * const piped = createLogger('info', { format: 'json' });
 */
export function createLogger(level?: LogLevel, options: LoggerOptions = {}): winston.Logger {
  if (level !== undefined && !LEVELS.includes(level)) throw new InvalidOptionError('createLogger: level', `one of ${LEVELS.map((l) => `'${l}'`).join(', ')}`, level);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new InvalidOptionError('createLogger: options', 'an object such as { format: \'json\' }', options);
  const fromEnv = process.env['ARBOR_LOG_LEVEL'] as LogLevel | undefined;
  const chosen = level ?? (fromEnv !== undefined && LEVELS.includes(fromEnv) ? fromEnv : 'info');
  const envFormat = process.env['ARBOR_LOG_FORMAT'] as LogFormat | undefined;
  const format = options.format ?? (envFormat !== undefined && FORMATS.includes(envFormat) ? envFormat : 'auto');
  if (!FORMATS.includes(format)) throw new InvalidOptionError('createLogger: options.format', `one of ${FORMATS.map((f) => `'${f}'`).join(', ')}`, format);
  const pretty = format === 'pretty' || (format === 'auto' && process.stderr.isTTY === true);
  return winston.createLogger({
    level: chosen === 'silent' ? 'error' : chosen,
    silent: chosen === 'silent',
    format: winston.format.combine(winston.format.timestamp(), pretty ? prettyFormat() : winston.format.json()),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
  });
}
