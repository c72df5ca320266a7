/**
 * Runs a dump's steps in slices of a few milliseconds, giving the event loop a turn
 * between slices, so serving a large tree does not stall the application.
 * @internal
 */
import type { Dump } from './DumpNode.js';
import { renderLines } from './renderDump.js';
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

/** The `{"ok":true,"dump":...}` answer line, one step per node. */
export function* dumpAnswer(d: Dump): Generator<void, Buffer, void> {
  const pieces: string[] = [];
  for (const piece of dumpAnswerPieces(d)) {
    pieces.push(piece);
    yield;
  }
  return Buffer.from(pieces.join(''), 'utf8');
}

/** The `{"ok":true,"text":...}` answer line, one step per line of text. */
export function* textAnswer(d: Dump): Generator<void, Buffer, void> {
  const lines: string[] = [];
  for (const line of renderLines(d)) {
    lines.push(line);
    yield;
  }
  return Buffer.from(`{"ok":true,"text":${JSON.stringify(lines.join('\n'))}}\n`, 'utf8');
}
