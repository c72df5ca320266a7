/**
 * @arbor/cluster: Arbor across machines over NATS. The public entry.
 *
 * @example
 * import { FrameCodec, RemoteError } from '@arbor/cluster';
 */
export { FrameCodec } from './wire/FrameCodec.js';
export type { RefClass, RefHooks } from './wire/RefHooks.js';
export { RemoteError, type RemoteErrorFields } from './errors/RemoteError.js';
export { UnserialisableMessageError } from './errors/UnserialisableMessageError.js';
export { FrameDecodeError } from './errors/FrameDecodeError.js';
