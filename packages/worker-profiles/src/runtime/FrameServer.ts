import { getHeapStatistics } from 'node:v8';
import type { ChildFrame, WireError } from '../contract/frames.js';
import { Outbox, type WireWriter } from '../transport/Outbox.js';
import { toWireError } from '../transport/wireError.js';
import { RunningTask } from './RunningTask.js';

/** A handler as the runtime calls it. */
type Handler = (this: unknown, arg: unknown, ctx?: RunningTask) => unknown;

/** A parent frame as read off the wire (not trusted to be well formed). */
type IncomingFrame = { readonly t?: unknown; readonly id?: unknown; readonly m?: unknown; readonly a?: unknown };

/** One served method: the function, and whether it declares a TaskContext parameter. */
interface Method {
  readonly fn: Handler;
  /** `fn.length >= 2`: only such handlers get a TaskContext made before the call. */
  readonly wantsContext: boolean;
}

/** A `stats` frame rides along with a reply batch once the heap moved by this much since the last one. */
export const STATS_HEAP_STEP_BYTES = 1024 * 1024;

const CANCELLED: WireError = { name: 'AbortError', message: 'the request was cancelled by the parent (its caller aborted or timed out)', code: 'cancelled' };

/**
 * The worker side of the frame protocol, whatever the transport: runs `req` frames on the
 * handlers, answers `ping`, fires the signal of a `cancel`led task, and sends the replies
 * through an {@link Outbox} (so it answers once per batch it read). A sync handler's value is
 * replied without a promise; an async one costs one `.then` and a {@link RunningTask} kept in
 * a Map until it settles. With every reply batch whose heap use moved by
 * {@link STATS_HEAP_STEP_BYTES} since the last report (and with the first one) goes a
 * `stats` frame `{ t: 'stats', h }`.
 * @internal
 *
 * @example
 * const server = new FrameServer(handlers, (msg) => port.postMessage(msg));
 * port.on('message', server.receive);
 */
export class FrameServer {
  readonly #handlers: object;
  readonly #methods = new Map<string, Method>();
  readonly #running = new Map<number, RunningTask>();
  readonly #outbox: Outbox<ChildFrame>;
  readonly #write: WireWriter<ChildFrame>;
  #reportedHeap = -Infinity;

  constructor(handlers: object, write: WireWriter<ChildFrame>) {
    this.#handlers = handlers;
    this.#write = write;
    for (const name of Object.keys(handlers)) {
      const fn = (handlers as Record<string, unknown>)[name];
      if (typeof fn !== 'function') throw new TypeError(`serveWorker: handlers.${name} must be a function (a handler of one argument and an optional TaskContext), got: ${typeof fn}`);
      this.#methods.set(name, { fn: fn as Handler, wantsContext: fn.length >= 2 });
    }
    this.#outbox = new Outbox<ChildFrame>(this.#writeBatch);
  }

  /** The served method names, as READY reports them. */
  get methods(): string[] {
    return [...this.#methods.keys()];
  }

  /** Requests whose async handler has not settled yet. */
  get running(): number {
    return this.#running.size;
  }

  /** Handles one wire message from the parent (a frame or a batch of frames). */
  readonly receive = (message: unknown): void => {
    if (Array.isArray(message)) for (let i = 0; i < message.length; i++) this.#frame(message[i] as IncomingFrame);
    else this.#frame(message as IncomingFrame);
  };

  /** Drops every reply not written yet (the channel is closing). */
  close(): void {
    this.#outbox.close();
  }

  #frame(frame: IncomingFrame): void {
    switch (frame.t) {
      case 'req':
        this.#request(frame.id as number, frame.m as string, frame.a);
        return;
      case 'cancel':
        this.#running.get(frame.id as number)?.cancel(); // a finished or unknown id is ignored
        return;
      case 'ping':
        this.#outbox.push({ t: 'pong', id: frame.id as number, h: getHeapStatistics().used_heap_size });
        return;
      default:
        return; // not a parent frame: ignored, so a newer parent can add kinds
    }
  }

  #request(id: number, name: string, arg: unknown): void {
    const method = this.#methods.get(name);
    if (method === undefined) {
      this.#outbox.push({ t: 'err', id, e: { name: 'UnknownMethodError', message: `this worker serves no method ${JSON.stringify(name)}; it serves: ${this.methods.join(', ') || '(none)'}`, code: 'unknown_method' } });
      return;
    }
    let task: RunningTask | undefined;
    let result: unknown;
    try {
      if (method.wantsContext) result = method.fn.call(this.#handlers, arg, (task = new RunningTask(id)));
      else result = method.fn.call(this.#handlers, arg);
    } catch (error) {
      this.#outbox.push({ t: 'err', id, e: toWireError(error) });
      return;
    }
    if ((typeof result !== 'object' && typeof result !== 'function') || result === null || typeof (result as PromiseLike<unknown>).then !== 'function') {
      this.#outbox.push({ t: 'res', id, v: result });
      return;
    }
    const running = task ?? new RunningTask(id);
    this.#running.set(id, running);
    (result instanceof Promise ? result : Promise.resolve(result)).then(
      (value) => this.#settle(running, { t: 'res', id, v: value }),
      (error) => this.#settle(running, { t: 'err', id, e: toWireError(error) }),
    );
  }

  #settle(task: RunningTask, reply: ChildFrame): void {
    this.#running.delete(task.id);
    this.#outbox.push(task.cancelled ? { t: 'err', id: task.id, e: CANCELLED } : reply);
  }

  /** Writes a reply batch (with a `stats` frame when the heap moved); a reply that cannot cross becomes an `err`. */
  readonly #writeBatch: WireWriter<ChildFrame> = (message, transfer) => {
    const heap = getHeapStatistics().used_heap_size;
    if (Math.abs(heap - this.#reportedHeap) >= STATS_HEAP_STEP_BYTES) {
      this.#reportedHeap = heap;
      message = Array.isArray(message) ? (message.push({ t: 'stats', h: heap }), message) : [message, { t: 'stats', h: heap }];
    }
    try {
      this.#write(message, transfer);
    } catch (error) {
      if (!Array.isArray(message) && message.t !== 'res') throw error;
      this.#writeOneByOne(Array.isArray(message) ? message : [message]);
    }
  };

  /** After a batch failed to serialize: each frame alone, turning a `res` that cannot cross into an `err`. */
  #writeOneByOne(frames: readonly ChildFrame[]): void {
    for (const frame of frames) {
      try {
        this.#write(frame, undefined);
      } catch (error) {
        if (frame.t !== 'res') throw error; // the channel itself is gone: the Outbox closes
        const cause = toWireError(error);
        this.#write({ t: 'err', id: frame.id, e: { name: cause.name, message: `the reply could not be sent to the parent (${cause.message}); return plain data (JSON data for process workers)`, code: 'unserializable_reply' } }, undefined);
      }
    }
  }
}
