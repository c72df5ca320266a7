/**
 * The one frame protocol every profile speaks (threads over a MessagePort, Node children
 * over IPC, any language over u32-LE-length + JSON on stdio), so the worker logic has one
 * path. A message on the wire is either one frame (a batch of one goes unwrapped) or an
 * array of frames (a batch: at most {@link MAX_BATCH_FRAMES} frames or about
 * {@link MAX_BATCH_BYTES} bytes). The worker answers once per batch it reads.
 *
 * Parent → worker: `req`, `ping`, `cancel`. Worker → parent: `ready`, `res`, `err`,
 * `pong`, `stats`.
 */

/** A request: run handler `m` with argument `a`; `id` is unique per worker connection. */
export interface ReqFrame {
  readonly t: 'req';
  readonly id: number;
  readonly m: string;
  readonly a: unknown;
}

/** A health probe; the worker answers `pong` with the same id. */
export interface PingFrame {
  readonly t: 'ping';
  readonly id: number;
}

/** Fire the AbortSignal of request `id` inside the worker (its reply, if any, is dropped). */
export interface CancelFrame {
  readonly t: 'cancel';
  readonly id: number;
}

/** The worker is up and serving: its pid, its handler names, anything else it reports. */
export interface ReadyFrame {
  readonly t: 'ready';
  readonly pid?: number;
  /** The handler names the worker serves (a request for another one fails fast). */
  readonly methods?: readonly string[];
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** Request `id` succeeded with value `v`. */
export interface ResFrame {
  readonly t: 'res';
  readonly id: number;
  readonly v: unknown;
}

/** A serialized error as it crosses the wire. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
}

/** Request `id` failed: the handler threw `e` (or the method is unknown). */
export interface ErrFrame {
  readonly t: 'err';
  readonly id: number;
  readonly e: WireError;
}

/** Answer to `ping` `id`; may carry the worker's heap use in bytes. */
export interface PongFrame {
  readonly t: 'pong';
  readonly id: number;
  readonly h?: number;
}

/** Pushed by the worker (threads: after each reply batch): heap used in bytes, RSS if it knows it. */
export interface StatsFrame {
  readonly t: 'stats';
  readonly h?: number;
  readonly rss?: number;
}

/** What the parent sends. */
export type ParentFrame = ReqFrame | PingFrame | CancelFrame;
/** What the worker sends. */
export type ChildFrame = ReadyFrame | ResFrame | ErrFrame | PongFrame | StatsFrame;
/** Any frame. */
export type Frame = ParentFrame | ChildFrame;

/** At most this many frames go in one wire message. */
export const MAX_BATCH_FRAMES = 256;
/** A batch is flushed once its estimated size passes this many bytes. */
export const MAX_BATCH_BYTES = 64 * 1024;

/**
 * Whether a wire message is a batch (an array of frames) rather than one frame.
 *
 * @example
 * for (const f of isBatch(msg) ? msg : [msg]) handle(f);
 */
export function isBatch<F extends Frame>(message: F | readonly F[]): message is readonly F[] {
  return Array.isArray(message);
}
