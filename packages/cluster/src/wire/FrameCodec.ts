import { C1, Packr, RESET_BUFFER_MODE, REUSE_BUFFER_MODE } from 'msgpackr';
import { FrameDecodeError } from '../errors/FrameDecodeError.js';
import { UnserialisableMessageError } from '../errors/UnserialisableMessageError.js';
import { cyclePath } from './cyclePath.js';
import type { FrameBatch } from './FrameBatch.js';
import type { RefHooks } from './RefHooks.js';
import { MAX_DEPTH, toWire } from './toWire.js';
import { formatPath, Unfit } from './unfit.js';
import { BadFrame, enterDecoding, leaveDecoding, registerWireExtensions } from './wireExtensions.js';

registerWireExtensions();

/**
 * Turns the values nodes exchange into bytes and back: msgpackr without records (no state
 * shared between the two ends, so a lost frame cannot break the next), keeping `Date`, `Map`,
 * `Set`, `BigInt`, `RegExp`, typed arrays, `ArrayBuffer`, `undefined`, `-0` and `NaN` at any
 * depth. Actor refs (the `refClasses` of the hooks) and `MonitorRef`s cross through the hooks;
 * every `Error` arrives as a `RemoteError` with its cause chain. A value that cannot cross
 * throws `UnserialisableMessageError` at the sender, naming its path; bytes that are not a
 * frame throw `FrameDecodeError`.
 *
 * Each call of `encode` returns its own bytes: a later encode never writes into them (the NATS
 * client keeps the buffer until it is written).
 *
 * @example
 * const codec = new FrameCodec({ refClasses: [RemoteActorRef], encodeRef, decodeRef });
 * const bytes = codec.encode([1, 'a.1', 'b.2', { type: 'inc', at: new Date() }]);
 * codec.decode(bytes); // [1, 'a.1', 'b.2', { type: 'inc', at: Date }]
 */
export class FrameCodec {
  readonly #hooks: RefHooks;
  readonly #packr = new Packr({ useRecords: false, moreTypes: true, structuredClone: false, copyBuffers: true, useBigIntExtension: true } as ConstructorParameters<typeof Packr>[0]);

  constructor(hooks: RefHooks) {
    this.#hooks = hooks;
  }

  /**
   * The bytes of `value`. `root` names the value in error paths (`msg.items[2].fn`).
   *
   * @example
   * socket.publish(subject, codec.encode(frame));
   */
  encode(value: unknown, root = 'msg'): Uint8Array {
    const wire = this.#toWire(value, root);
    try {
      return this.#packr.pack(wire);
    } catch (e) {
      throw packFailed(root, e);
    }
  }

  /**
   * Encodes `value` as `encode` does and appends its bytes to `batch` (no buffer of its own);
   * a value that cannot cross throws the same error and leaves `batch` as it was. Plain data
   * (see `packPlain`) is written straight into the batch by the fast path. @internal
   *
   * @example
   * codec.encodeInto([CAST, id, msg], peerBatch);
   */
  encodeInto(value: unknown, batch: FrameBatch, root = 'msg'): void {
    if (batch.appendPlain(value)) return; // plain data: no copy, no msgpackr
    const wire = this.#toWire(value, root);
    let target: Uint8Array & { start: number; end: number };
    try {
      // The packer's own buffer, overwritten by its next pack: copied into the batch at once.
      target = this.#packr.pack(wire, REUSE_BUFFER_MODE | RESET_BUFFER_MODE) as unknown as Uint8Array & { start: number; end: number };
    } catch (e) {
      throw packFailed(root, e);
    }
    batch.append(target, target.start, target.end);
  }

  #toWire(value: unknown, root: string): unknown {
    try {
      return toWire(value, this.#hooks, 0);
    } catch (e) {
      if (e instanceof Unfit) throw unserialisable(e, value, root);
      throw e;
    }
  }

  /**
   * The value `bytes` encode; refs and monitors in it come from this codec's hooks.
   *
   * @example
   * const frame = codec.decode(msg.data);
   */
  decode(bytes: Uint8Array): unknown {
    if (!(bytes instanceof Uint8Array)) throw new FrameDecodeError('not a Uint8Array', 0);
    if (bytes.length === 0) throw new FrameDecodeError('no bytes', 0);
    const previous = enterDecoding(this.#hooks);
    try {
      const value: unknown = this.#packr.unpack(bytes);
      if (value === C1) throw new BadFrame('the never-used byte 0xc1');
      return value;
    } catch (e) {
      throw decodeFailed(e, bytes.length);
    } finally {
      leaveDecoding(previous);
    }
  }

  /**
   * Decodes the values `bytes` hold back to back (each as `encode` wrote it) in one pass,
   * giving each to `each` with the offset where it ended; `each` returns false to stop. The
   * first value that fails throws `FrameDecodeError` (the values before it were given to
   * `each`); an error thrown by `each` comes out as it is. No bytes: no values.
   *
   * @example
   * codec.decodeMultiple(body, (frame, end) => { handle(frame); return true; });
   */
  decodeMultiple(bytes: Uint8Array, each: (value: unknown, end: number) => boolean): void {
    if (!(bytes instanceof Uint8Array)) throw new FrameDecodeError('not a Uint8Array', 0);
    if (bytes.length === 0) return;
    let failed: { readonly error: unknown } | undefined;
    const previous = enterDecoding(this.#hooks);
    try {
      this.#packr.unpackMultiple(bytes, (value: unknown, _start?: number, end?: number) => {
        if (value === C1) throw new BadFrame('the never-used byte 0xc1');
        try {
          return each(value, end!);
        } catch (error) {
          failed = { error };
          return false;
        }
      });
    } catch (e) {
      throw decodeFailed(e, bytes.length);
    } finally {
      leaveDecoding(previous);
    }
    if (failed !== undefined) throw failed.error;
  }
}

function packFailed(root: string, e: unknown): UnserialisableMessageError {
  return new UnserialisableMessageError(root, `msgpack could not encode it (${e instanceof Error ? e.message : String(e)})`, { cause: e });
}

function decodeFailed(e: unknown, byteLength: number): FrameDecodeError {
  if (e instanceof FrameDecodeError) return e;
  const problem = e instanceof BadFrame ? e.message : e instanceof Error ? e.message.split('\n')[0]! : String(e);
  return new FrameDecodeError(problem, byteLength, { cause: e });
}

function unserialisable(unfit: Unfit, value: unknown, root: string): UnserialisableMessageError {
  if (unfit.path.length > MAX_DEPTH) {
    const cycle = cyclePath(value, root);
    if (cycle !== undefined) {
      return new UnserialisableMessageError(cycle[0], `a cyclic reference (back to ${cycle[1]}) cannot cross nodes; send a tree, with ids where it pointed back`);
    }
    return new UnserialisableMessageError(root, `${unfit.problem}; send a flatter value`);
  }
  return new UnserialisableMessageError(formatPath(root, unfit), unfit.problem);
}
