import type { TransferListItem } from 'node:worker_threads';
import { MAX_BATCH_BYTES, MAX_BATCH_FRAMES, type Frame } from '../contract/frames.js';

/** Writes one wire message: a frame, or an array of frames (a batch). */
export type WireWriter<F extends Frame> = (message: F | F[], transfer: TransferListItem[] | undefined) => void;

/** Options of an {@link Outbox}. */
export interface OutboxOptions<F extends Frame> {
  /** Frames per message at most (default 256). */
  readonly maxFrames?: number;
  /** A message is flushed once its estimated size passes this (default 64 KiB). */
  readonly maxBytes?: number;
  /** The size estimate of a frame (default: string / buffer length of its payload, else 32). */
  readonly sizeOf?: (frame: F) => number;
  /**
   * Gets each frame that cannot be written, even alone (its payload does not serialize:
   * `sizeOf` or the writer threw for it), instead of the outbox closing; the other frames
   * of its batch are written one by one. A writer given this must not throw for a closed
   * channel (it closes the outbox instead).
   */
  readonly onUnsendable?: (frame: F, error: unknown) => void;
}

const resolved = Promise.resolve();

/** A cheap size estimate: the payload's length when it is a string or a buffer, else 32 bytes. */
export function estimateFrameSize(frame: Frame): number {
  const v = frame.t === 'req' ? frame.a : frame.t === 'res' ? frame.v : undefined;
  if (typeof v === 'string') return v.length + 32;
  if (typeof v === 'object' && v !== null && typeof (v as ArrayBufferLike).byteLength === 'number') return (v as ArrayBufferLike).byteLength + 32;
  return 32;
}

/**
 * The per-worker outbox: frames pushed in one microtask go out as one wire message (an
 * array; a batch of one goes unwrapped), split at `maxFrames` frames or `maxBytes`
 * estimated bytes. Both sides use it: the parent for requests, the worker runtime for
 * replies (so it answers once per batch it read). `push` never throws and never blocks.
 *
 * @example
 * const out = new Outbox((msg, transfer) => port.postMessage(msg, transfer));
 * out.push({ t: 'req', id: 1, m: 'add', a: 1 });
 */
export class Outbox<F extends Frame = Frame> {
  readonly #write: WireWriter<F>;
  readonly #maxFrames: number;
  readonly #maxBytes: number;
  readonly #sizeOf: (frame: F) => number;
  readonly #onUnsendable: ((frame: F, error: unknown) => void) | undefined;
  #frames: F[] = [];
  #transfer: TransferListItem[] | undefined = undefined;
  /** Each frame's own transfer list, by its index in `#frames` (for the one-by-one retry). */
  #transferOf: Map<number, readonly TransferListItem[]> | undefined = undefined;
  #bytes = 0;
  #scheduled = false;
  #closed = false;
  readonly #flush = (): void => {
    this.#scheduled = false;
    this.flush();
  };

  constructor(write: WireWriter<F>, options: OutboxOptions<F> = {}) {
    this.#write = write;
    this.#maxFrames = options.maxFrames ?? MAX_BATCH_FRAMES;
    this.#maxBytes = options.maxBytes ?? MAX_BATCH_BYTES;
    this.#sizeOf = options.sizeOf ?? estimateFrameSize;
    this.#onUnsendable = options.onUnsendable;
  }

  /** Frames waiting for the next flush. */
  get pending(): number {
    return this.#frames.length;
  }

  /** Queues a frame for this microtask's message; dropped once the outbox is closed. */
  push(frame: F, transfer?: readonly TransferListItem[]): void {
    if (this.#closed) return;
    let size: number;
    try {
      size = this.#sizeOf(frame);
    } catch (error) {
      if (this.#onUnsendable === undefined) throw error;
      this.#onUnsendable(frame, error);
      return;
    }
    this.#frames.push(frame);
    if (transfer !== undefined && transfer.length > 0) {
      (this.#transfer ??= []).push(...transfer);
      (this.#transferOf ??= new Map()).set(this.#frames.length - 1, transfer);
    }
    this.#bytes += size;
    if (this.#frames.length >= this.#maxFrames || this.#bytes >= this.#maxBytes) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      void resolved.then(this.#flush);
    }
  }

  /**
   * Writes what is queued now. A writer that throws closes the outbox (the channel is gone:
   * the exit path settles what was in flight), unless `onUnsendable` is given: then the
   * batch is retried frame by frame and each frame that fails alone goes to it.
   */
  flush(): void {
    const frames = this.#frames;
    if (frames.length === 0 || this.#closed) return;
    const transfer = this.#transfer;
    const transferOf = this.#transferOf;
    this.#frames = [];
    this.#transfer = this.#transferOf = undefined;
    this.#bytes = 0;
    try {
      this.#write(frames.length === 1 ? frames[0]! : frames, transfer);
    } catch (error) {
      const unsendable = this.#onUnsendable;
      if (unsendable === undefined) this.#closed = true;
      else if (frames.length === 1) unsendable(frames[0]!, error);
      else this.#writeOneByOne(frames, transferOf, unsendable);
    }
  }

  #writeOneByOne(frames: readonly F[], transferOf: Map<number, readonly TransferListItem[]> | undefined, unsendable: (frame: F, error: unknown) => void): void {
    for (let i = 0; i < frames.length && !this.#closed; i++) {
      const own = transferOf?.get(i);
      try {
        this.#write(frames[i]!, own === undefined ? undefined : [...own]);
      } catch (error) {
        unsendable(frames[i]!, error);
      }
    }
  }

  /** Drops what is queued and every later push. */
  close(): void {
    this.#closed = true;
    this.#frames = [];
    this.#transfer = this.#transferOf = undefined;
  }
}
