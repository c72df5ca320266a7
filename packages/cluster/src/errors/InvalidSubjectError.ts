import { ArborError } from '@arbor/core';

/**
 * A subscription subject is not a valid NATS subject (empty tokens, whitespace, or a `>` that is
 * not the last token). Publishing to an invalid subject does not throw: `publish` returns false.
 *
 * @example
 * t.subscribe('arbor..n', cb); // throws InvalidSubjectError
 */
export class InvalidSubjectError extends ArborError {
  readonly code = 'invalid_subject' as const;
  constructor(readonly subject: string) {
    super(`${JSON.stringify(subject)} is not a valid subscription subject: use non-empty tokens separated by '.', '*' for one token, '>' only as the last token`);
  }
}
