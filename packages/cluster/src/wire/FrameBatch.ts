import { FrameDecodeError } from '../errors/FrameDecodeError.js';
import type { FrameCodec } from './FrameCodec.js';
import { NO_ROOM, NOT_PLAIN, packPlain } from './plainPack.js';

/** Where `take` packs a head before copying it into the batch's buffer (grown when a head does not fit). */
let headScratch = new Uint8Array(4096);

/** Bytes a batch's buffer starts with, and the most it keeps between batches (a larger one is dropped after use). */
const INITIAL_BYTES = 4096;
const KEEP_BYTES = 1 << 20;

/**
 * The frames queued for one destination, each encoded once (`FrameCodec.encodeInto`) straight
 * into one growing buffer. `take` turns them into one batch: a head `[from, epoch, seq, lengths]`
 * (each frame's byte length) followed by the frames back to back, in a fresh buffer (the
 * transport may keep it until written), and empties the batch for the next turn.
 * `readBatch` reads one. Internal to the cluster's wire.
 *
 * @example
 * const batch = new FrameBatch();
 * codec.encodeInto([CAST, id, msg], batch);
 * transport.publish(subject, batch.take(codec, incarnation, epoch, seq));
 */
export class FrameBatch {
  #bytes: Uint8Array;
  #end = 0;
  readonly #lengths: number[] = [];

  constructor(initialBytes = INITIAL_BYTES) {
    this.#bytes = new Uint8Array(initialBytes);
  }

  /** How many frames are queued. */
  get count(): number {
    return this.#lengths.length;
  }

  /** The bytes of the frames queued. */
  get bytes(): number {
    return this.#end;
  }

  /** The byte length of the last frame appended (0 when empty). */
  get lastLength(): number {
    return this.#lengths[this.#lengths.length - 1] ?? 0;
  }

  /** Removes the last frame appended (one that must not go: too large). */
  dropLast(): void {
    const length = this.#lengths.pop();
    if (length !== undefined) this.#end -= length;
  }

  /** Appends one encoded frame, `source[start, end)`. */
  append(source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (this.#end + length > this.#bytes.length) this.#grow(this.#end + length);
    this.#bytes.set(source.subarray(start, end), this.#end);
    this.#end += length;
    this.#lengths.push(length);
  }

  /**
   * Appends `frame` encoded by the plain-data fast path (`packPlain`) and returns true, or
   * returns false, the batch as it was, when the frame is not plain data (the codec then
   * encodes it the general way).
   */
  appendPlain(frame: unknown): boolean {
    const start = this.#end;
    for (;;) {
      const end = packPlain(frame, this.#bytes, start);
      if (end >= 0) {
        this.#end = end;
        this.#lengths.push(end - start);
        return true;
      }
      if (end === NOT_PLAIN) return false;
      this.#grow(this.#bytes.length + 1); // NO_ROOM: twice the room, and again
    }
  }

  /** The queued frames as one batch in a fresh buffer (see the class comment); the batch is then empty. */
  take(codec: FrameCodec, from: string, epoch: number, seq: number): Uint8Array {
    const head: unknown[] = [from, epoch, seq, this.#lengths];
    let headBytes: Uint8Array;
    let headEnd = packPlain(head, headScratch, 0);
    while (headEnd === NO_ROOM) headEnd = packPlain(head, (headScratch = new Uint8Array(headScratch.length * 2)), 0);
    if (headEnd >= 0) headBytes = headScratch.subarray(0, headEnd);
    else headBytes = codec.encode(head); // a node name beyond ASCII
    const out = Buffer.allocUnsafe(headBytes.length + this.#end); // every byte is written below
    out.set(headBytes, 0);
    out.set(this.#bytes.subarray(0, this.#end), headBytes.length);
    this.clear();
    return out;
  }

  /** Drops the queued frames. */
  clear(): void {
    this.#end = 0;
    this.#lengths.length = 0;
    if (this.#bytes.length > KEEP_BYTES) this.#bytes = new Uint8Array(INITIAL_BYTES);
  }

  #grow(needed: number): void {
    let size = this.#bytes.length * 2;
    while (size < needed) size *= 2;
    const bytes = new Uint8Array(size);
    bytes.set(this.#bytes.subarray(0, this.#end), 0);
    this.#bytes = bytes;
  }
}

/** One batch received: its head, and its frames still encoded. */
export interface ReceivedBatch {
  readonly from: unknown;
  readonly epoch: number;
  readonly seq: number;
  /** Each frame's byte length, in order. */
  readonly lengths: readonly number[];
  /** The frames, back to back. */
  readonly body: Uint8Array;
}

/**
 * Reads a batch's head (see `FrameBatch`); throws `FrameDecodeError` when the bytes are not a
 * batch (no head, a malformed one, or frame lengths that do not add up to the bytes after it).
 *
 * @example
 * const batch = readBatch(codec, data);
 * readFrames(codec, batch, (frame) => handle(frame), (e) => log(e));
 */
export function readBatch(codec: FrameCodec, data: Uint8Array): ReceivedBatch {
  let head: unknown;
  let bodyStart = 0;
  codec.decodeMultiple(data, (value, end) => {
    head = value;
    bodyStart = end;
    return false;
  });
  if (!Array.isArray(head) || head.length !== 4) throw new FrameDecodeError('not a batch head', data.length);
  const [from, epoch, seq, lengths] = head as unknown[];
  if (typeof epoch !== 'number' || typeof seq !== 'number' || !Array.isArray(lengths)) throw new FrameDecodeError('a malformed batch head', data.length);
  let total = 0;
  for (const length of lengths as unknown[]) {
    if (typeof length !== 'number' || !Number.isInteger(length) || length <= 0) throw new FrameDecodeError('a malformed frame length in the batch head', data.length);
    total += length;
  }
  if (total !== data.length - bodyStart) {
    throw new FrameDecodeError(`the batch head announces ${total} bytes of frames, ${data.length - bodyStart} follow`, data.length);
  }
  return { from, epoch, seq, lengths: lengths as number[], body: data.subarray(bodyStart) };
}

/**
 * Decodes a batch's frames in one pass, in order, giving each to `onFrame` (which returns
 * false to stop). A frame that fails to decode goes to `onBadFrame` as a `FrameDecodeError`
 * and the frames after it are still read (the head's lengths say where each starts).
 *
 * @example
 * readFrames(codec, batch, (frame) => { handle(frame); return !down; }, (e) => log.warn(String(e)));
 */
export function readFrames(codec: FrameCodec, batch: ReceivedBatch, onFrame: (frame: unknown) => boolean, onBadFrame: (error: FrameDecodeError) => void): void {
  const { lengths, body } = batch;
  let index = 0;
  let start = 0; // where frame `index` starts in the body
  while (index < lengths.length) {
    const base = start;
    let bad: FrameDecodeError | undefined;
    let stopped = false;
    try {
      codec.decodeMultiple(body.subarray(base), (frame, end) => {
        const length = lengths[index]!;
        if (base + end !== start + length) {
          bad = new FrameDecodeError(`a frame of ${base + end - start} bytes where the batch head says ${length}`, length);
          return false;
        }
        start += length;
        index++;
        if (onFrame(frame)) return true;
        stopped = true;
        return false;
      });
    } catch (e) {
      if (!(e instanceof FrameDecodeError)) throw e;
      bad = new FrameDecodeError(e.problem, lengths[index]!, { cause: e.cause });
    }
    if (stopped || bad === undefined) return;
    onBadFrame(bad);
    start += lengths[index]!;
    index++;
  }
}
