import { Writable } from 'node:stream';
import winston from 'winston';

/** A log line captured by {@link capturingLogger}. */
export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

/**
 * A winston logger (level `debug`) that writes every line into `logs`, for asserting on an
 * actor system's reports.
 *
 * @example
 * const { logger, logs } = capturingLogger();
 * const system = createSystem({ name: 'test', logger });
 */
export function capturingLogger(): { logger: winston.Logger; logs: LogLine[] } {
  const logs: LogLine[] = [];
  const stream = new Writable({
    objectMode: true,
    write(info: LogLine, _enc, done) {
      logs.push(info);
      done();
    },
  });
  const logger = winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream })] });
  return { logger, logs };
}
