import type { Frame } from '../contract/frames.js';

/**
 * The thread transport's packing of wire messages. Structured clone pays per object key
 * (each frame's `t`, `id`, `m`, `a` names are written and read again for every frame), so
 * over a MessagePort a message (one frame or a batch) travels as ONE flat array instead:
 * `req` as `1, id, m, a`; `res` as `2, id, v`; `err` as `3, id, e`; `cancel` as `4, id`;
 * any other frame (`ready`, `ping`, `pong`, `stats`) as `0, frame`. A message that is not
 * such an array (a frame object, or an array of frame objects) is read as the plain
 * protocol, so a peer that does not pack is still understood. Both ends of a thread
 * (ThreadConn and the runtime's thread transport) pack; IPC and stdio do not. @internal
 */

const PACKED_OTHER = 0;
const PACKED_REQ = 1;
const PACKED_RES = 2;
const PACKED_ERR = 3;
const PACKED_CANCEL = 4;

/**
 * One wire message (a frame or a batch) as a flat packed array; see the file comment.
 *
 * @example
 * packFrames({ t: 'res', id: 7, v: 8 }); // [2, 7, 8]
 */
export function packFrames(message: Frame | readonly Frame[]): unknown[] {
  const out: unknown[] = [];
  if (Array.isArray(message)) for (let i = 0; i < message.length; i++) packOne(out, message[i] as Frame);
  else packOne(out, message as Frame);
  return out;
}

function packOne(out: unknown[], f: Frame): void {
  switch (f.t) {
    case 'req':
      out.push(PACKED_REQ, f.id, f.m, f.a);
      return;
    case 'res':
      out.push(PACKED_RES, f.id, f.v);
      return;
    case 'err':
      out.push(PACKED_ERR, f.id, f.e);
      return;
    case 'cancel':
      out.push(PACKED_CANCEL, f.id);
      return;
    default:
      out.push(PACKED_OTHER, f);
  }
}

/**
 * Calls `receive` with each frame of a wire message, packed or plain (an unknown packed tag
 * stops the message there: it is not this protocol).
 *
 * @example
 * port.on('message', (m) => unpackFrames(m, onFrame));
 */
export function unpackFrames<F extends Frame>(message: unknown, receive: (frame: F) => void): void {
  if (!Array.isArray(message)) {
    receive(message as F);
    return;
  }
  if (message.length === 0 || typeof message[0] !== 'number') {
    for (let i = 0; i < message.length; i++) receive(message[i] as F);
    return;
  }
  const n = message.length;
  let i = 0;
  while (i < n) {
    switch (message[i]) {
      case PACKED_REQ:
        receive({ t: 'req', id: message[i + 1], m: message[i + 2], a: message[i + 3] } as unknown as F);
        i += 4;
        break;
      case PACKED_RES:
        receive({ t: 'res', id: message[i + 1], v: message[i + 2] } as unknown as F);
        i += 3;
        break;
      case PACKED_ERR:
        receive({ t: 'err', id: message[i + 1], e: message[i + 2] } as unknown as F);
        i += 3;
        break;
      case PACKED_CANCEL:
        receive({ t: 'cancel', id: message[i + 1] } as unknown as F);
        i += 2;
        break;
      case PACKED_OTHER:
        receive(message[i + 1] as F);
        i += 2;
        break;
      default:
        return;
    }
  }
}
