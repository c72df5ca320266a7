import { ArborError } from '@arbor/core';

/**
 * A message (or call, reply, spawn argument) whose frame is larger than a batch may carry:
 * three quarters of the NATS server's `max_payload` (768 KiB with the default 1 MiB). Thrown
 * at the sender, as an unserialisable message is; nothing was sent.
 *
 * @example
 * cast(remoteRef, { type: 'upload', bytes: new Uint8Array(4 << 20) }); // MessageTooLargeError
 */
export class MessageTooLargeError extends ArborError {
  readonly code = 'message_too_large' as const;
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`a message to another node encodes to ${bytes} bytes, over the ${limit} bytes a frame may take (3/4 of the server's max_payload); send it in parts, or raise max_payload in the nats-server config`);
  }
}
