/**
 * Runs a dump's steps in slices of a few milliseconds, giving the event loop a turn
 * between slices, so serving a large tree does not stall the application.
 * @internal
 */
import { renderDumpLines, type Dump } from '@arbor/core';
import { dumpAnswerPieces } from './wire.js';

/** How long one slice may run before the event loop gets a turn. */
const SLICE_MS = 4;

/** Thrown out of {@link inSlices} when `stopped()` turns true between slices. */
export class SlicesStopped extends Error {}

/** Runs `steps` to its end in slices; rejects with `SlicesStopped` once `stopped()` is true. */
export async function inSlices<T>(steps: Generator<unknown, T, void>, stopped: () => boolean): Promise<T> {
  for (;;) {
    const end = performance.now() + SLICE_MS;
    for (let n = 1; ; n++) {
      const r = steps.next();
      if (r.done === true) return r.value;
      if ((n & 63) === 0 && performance.now() >= end) break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (stopped()) throw new SlicesStopped('the endpoint is closing');
  }
}

/** The most characters of an answer that one step turns into bytes: no step is sized to the whole tree. */
export const ANSWER_CHUNK_CHARS = 16 * 1024;

/** Collects an answer's text and turns it into bytes a chunk at a time. */
class AnswerChunks {
  readonly #chunks: Buffer[] = [];
  #parts: string[] = [];
  #chars = 0;

  add(text: string): void {
    this.#parts.push(text);
    this.#chars += text.length;
    if (this.#chars >= ANSWER_CHUNK_CHARS) this.#cut();
  }

  end(): Buffer[] {
    this.#cut();
    return this.#chunks;
  }

  #cut(): void {
    if (this.#chars === 0) return;
    this.#chunks.push(Buffer.from(this.#parts.join(''), 'utf8'));
    this.#parts = [];
    this.#chars = 0;
  }
}

/** The `{"ok":true,"dump":...}` answer line as chunks of bytes (written in order), one step per node. */
export function* dumpAnswer(d: Dump): Generator<void, Buffer[], void> {
  const out = new AnswerChunks();
  for (const piece of dumpAnswerPieces(d)) {
    out.add(piece);
    yield;
  }
  return out.end();
}

/**
 * The `{"ok":true,"text":...}` answer line as chunks of bytes, one step per line of text:
 * each line is escaped on its own (the same JSON string as escaping the joined text).
 */
export function* textAnswer(d: Dump): Generator<void, Buffer[], void> {
  const out = new AnswerChunks();
  out.add('{"ok":true,"text":"');
  let first = true;
  for (const line of renderDumpLines(d)) {
    out.add(`${first ? '' : '\\n'}${JSON.stringify(line).slice(1, -1)}`);
    first = false;
    yield;
  }
  out.add('"}\n');
  return out.end();
}
