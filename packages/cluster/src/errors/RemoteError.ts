import { ArborError } from '@arbor/core';

/** What a `RemoteError` is built from (the fields an error carries across nodes). */
export interface RemoteErrorFields {
  /** The original error's `name` (`TypeError`, `NoProcError`...). */
  readonly remoteName: string;
  readonly message: string;
  /** The original error's stack, as printed on the node that threw it. */
  readonly remoteStack?: string | undefined;
  /** The original error's `code` (an ArborError's code, a Node system error's code), if it had one. */
  readonly remoteCode?: string | undefined;
  /** The original `cause`, itself a `RemoteError` if it was an error. */
  readonly cause?: unknown;
}

/**
 * An error that was thrown on another node and crossed the wire. Every `Error` in a message
 * (at any depth, with its `cause` chain) arrives as one of these: the class of the original does
 * not cross, its `name`, `message`, `stack` and `code` do (`remoteName`, `message`, `remoteStack`,
 * `remoteCode`).
 *
 * @example
 * catch (e) {
 *   if (e instanceof RemoteError && e.remoteCode === 'noproc') retry();
 *   console.log(e.remoteName, e.message, e.remoteStack);
 * }
 */
export class RemoteError extends ArborError {
  readonly code = 'remote_error' as const;
  readonly remoteName: string;
  readonly remoteStack: string | undefined;
  readonly remoteCode: string | undefined;

  constructor(fields: RemoteErrorFields) {
    super(fields.message, 'cause' in fields && fields.cause !== undefined ? { cause: fields.cause } : undefined);
    this.remoteName = fields.remoteName;
    this.remoteStack = fields.remoteStack;
    this.remoteCode = fields.remoteCode;
    this.stack = `${this.name}: ${fields.remoteStack ?? `${fields.remoteName}: ${fields.message}`}`;
  }
}
