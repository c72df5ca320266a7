import { C1, Packr } from 'msgpackr';
import { FrameDecodeError } from '../errors/FrameDecodeError.js';
import { UnserialisableMessageError } from '../errors/UnserialisableMessageError.js';
import { cyclePath } from './cyclePath.js';
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
    let wire: unknown;
    try {
      wire = toWire(value, this.#hooks, 0);
    } catch (e) {
      if (e instanceof Unfit) throw unserialisable(e, value, root);
      throw e;
    }
    try {
      return this.#packr.pack(wire);
    } catch (e) {
      throw new UnserialisableMessageError(root, `msgpack could not encode it (${e instanceof Error ? e.message : String(e)})`, { cause: e });
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
      if (e instanceof FrameDecodeError) throw e;
      const problem = e instanceof BadFrame ? e.message : e instanceof Error ? e.message.split('\n')[0]! : String(e);
      throw new FrameDecodeError(problem, bytes.length, { cause: e });
    } finally {
      leaveDecoding(previous);
    }
  }
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
