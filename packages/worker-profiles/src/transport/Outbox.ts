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
  #frames: F[] = [];
  #transfer: TransferListItem[] | undefined = undefined;
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
  }

  /** Frames waiting for the next flush. */
  get pending(): number {
    return this.#frames.length;
  }

  /** Queues a frame for this microtask's message; dropped once the outbox is closed. */
  push(frame: F, transfer?: readonly TransferListItem[]): void {
    if (this.#closed) return;
    this.#frames.push(frame);
    if (transfer !== undefined && transfer.length > 0) (this.#transfer ??= []).push(...transfer);
    this.#bytes += this.#sizeOf(frame);
    if (this.#frames.length >= this.#maxFrames || this.#bytes >= this.#maxBytes) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      void resolved.then(this.#flush);
    }
  }

  /** Writes what is queued now. A writer that throws (a closed channel) closes the outbox. */
  flush(): void {
    const frames = this.#frames;
    if (frames.length === 0 || this.#closed) return;
    const transfer = this.#transfer;
    this.#frames = [];
    this.#transfer = undefined;
    this.#bytes = 0;
    try {
      this.#write(frames.length === 1 ? frames[0]! : frames, transfer);
    } catch {
      this.#closed = true; // the channel is gone: the exit path settles what was in flight
    }
  }

  /** Drops what is queued and every later push. */
  close(): void {
    this.#closed = true;
    this.#frames = [];
    this.#transfer = undefined;
  }
}
