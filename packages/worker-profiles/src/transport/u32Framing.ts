/**
 * The stdio wire format: each message is a u32 little-endian byte length, then that many
 * bytes of UTF-8 JSON (one frame, or an array of frames). Any language can speak it; the
 * Python module in this package does.
 */

/** A message larger than this is refused (a desynchronised stream, not a real frame). */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/**
 * Encodes one message (a frame or a batch) as a length-prefixed buffer.
 *
 * @example
 * child.stdin.write(encodeMessage({ t: 'req', id: 1, m: 'add', a: 1 }));
 */
export function encodeMessage(message: unknown): Buffer {
  const json = JSON.stringify(message);
  const size = Buffer.byteLength(json);
  const out = Buffer.allocUnsafe(4 + size);
  out.writeUInt32LE(size, 0);
  out.write(json, 4, 'utf8');
  return out;
}

/** The stream broke the format (a length over {@link MAX_MESSAGE_BYTES}, or bytes that are not JSON). */
export class FramingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FramingError';
  }
}

/**
 * Splits a byte stream into decoded messages, whatever the chunking.
 *
 * @example
 * const decoder = new MessageDecoder();
 * child.stdout.on('data', (chunk) => { for (const msg of decoder.push(chunk)) onMessage(msg); });
 */
export class MessageDecoder {
  #buffer: Buffer = Buffer.alloc(0);

  /** Bytes received and not yet part of a whole message. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** Adds a chunk and returns the messages completed by it (throws FramingError on a broken stream). */
  push(chunk: Buffer): unknown[] {
    let buf = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const out: unknown[] = [];
    let offset = 0;
    while (buf.length - offset >= 4) {
      const size = buf.readUInt32LE(offset);
      if (size > MAX_MESSAGE_BYTES) throw new FramingError(`a message of ${size} bytes is over the ${MAX_MESSAGE_BYTES}-byte limit: the stream is out of step (does the worker print to stdout? log to stderr instead)`);
      if (buf.length - offset - 4 < size) break;
      const text = buf.toString('utf8', offset + 4, offset + 4 + size);
      offset += 4 + size;
      try {
        out.push(JSON.parse(text));
      } catch {
        throw new FramingError(`a message is not JSON (${JSON.stringify(text.slice(0, 60))}): the stream is out of step (does the worker print to stdout? log to stderr instead)`);
      }
    }
    this.#buffer = offset === buf.length ? Buffer.alloc(0) : buf.subarray(offset);
    if (this.#buffer.length > 0 && this.#buffer !== chunk && offset > 0) this.#buffer = Buffer.from(this.#buffer); // do not pin the old concat
    buf = this.#buffer;
    return out;
  }
}
