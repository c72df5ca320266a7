import { ArborError } from '@arbor/core';

/**
 * Bytes received from another node are not a frame this codec wrote (garbage, a truncated
 * message, a frame from an incompatible version). Nothing of the frame is returned.
 *
 * @example
 * try { codec.decode(bytes) }
 * catch (e) { if (e instanceof FrameDecodeError) dropChannel() }
 */
export class FrameDecodeError extends ArborError {
  readonly code = 'frame_decode' as const;

  constructor(
    /** What the decoder found wrong. */
    readonly problem: string,
    /** How many bytes the frame had. */
    readonly byteLength: number,
    options?: ErrorOptions,
  ) {
    super(`could not decode a ${byteLength}-byte frame: ${problem}; the sender and receiver must run compatible @arbor/cluster versions`, options);
  }
}
