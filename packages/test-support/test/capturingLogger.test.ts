import test from 'ava';
import { capturingLogger } from '../src/index.js';

test('capturingLogger keeps every line at debug and above, with its level, message and meta', (t) => {
  const { logger, logs } = capturingLogger();
  logger.debug('one', { actor: 'a' });
  logger.error('two');
  logger.silly('dropped: below debug');
  t.deepEqual(
    logs.map((l) => [l.level, l.message, l['actor']]),
    [
      ['debug', 'one', 'a'],
      ['error', 'two', undefined],
    ],
  );
});
