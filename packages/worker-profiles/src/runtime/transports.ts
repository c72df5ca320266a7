import { isMainThread, MessagePort, workerData } from 'node:worker_threads';
import type { ChildFrame } from '../contract/frames.js';
import type { WireWriter } from '../transport/Outbox.js';
import { packFrames, unpackFrames } from '../transport/threadWire.js';
import { encodeMessage, MessageDecoder } from '../transport/u32Framing.js';

/**
 * The environment variable a process profile sets to pick the worker's transport (`ipc` or `stdio`).
 *
 * @example
 * spawn(process.execPath, ['worker.js'], { env: { ...process.env, [TRANSPORT_ENV]: 'stdio' } });
 */
export const TRANSPORT_ENV = 'ARBOR_WORKER_TRANSPORT';

/** What the worker runtime needs from a channel to its parent. @internal */
export interface RuntimeTransport {
  readonly kind: 'thread' | 'ipc' | 'stdio';
  /** Writes one wire message; throws when it cannot be serialized. */
  readonly write: WireWriter<ChildFrame>;
  /** Delivers each incoming wire message to `receive`, and calls `end` once the parent closed the channel. */
  listen(receive: (message: unknown) => void, end: () => void): void;
}

/** The worker-data key under which `threadProfile` passes the worker's MessagePort. */
export const THREAD_DATA_KEY = '__arbor';

/** What `threadProfile` puts in `workerData[THREAD_DATA_KEY]`. @internal */
export interface ThreadWorkerData {
  readonly port: MessagePort;
  readonly workerId: string;
}

/**
 * The transport this worker was started with: the MessagePort a `threadProfile` passed, Node
 * IPC (`ARBOR_WORKER_TRANSPORT=ipc`), or u32 frames on stdio (`ARBOR_WORKER_TRANSPORT=stdio`).
 * Throws when there is none (the module was run by hand).
 * @internal
 *
 * @example
 * const transport = detectTransport();
 */
export function detectTransport(): RuntimeTransport {
  const data = isMainThread ? undefined : (workerData as Record<string, unknown> | null | undefined)?.[THREAD_DATA_KEY];
  if (typeof data === 'object' && data !== null && (data as ThreadWorkerData).port instanceof MessagePort) return threadTransport((data as ThreadWorkerData).port);
  const wanted = process.env[TRANSPORT_ENV];
  if (wanted === 'ipc') {
    if (typeof process.send !== 'function') throw new Error(`serveWorker: ${TRANSPORT_ENV}=ipc but this process has no IPC channel; start it with nodeProcessProfile (child_process.fork)`);
    return ipcTransport();
  }
  if (wanted === 'stdio') return stdioTransport();
  throw new Error(`serveWorker: no Arbor transport here (${TRANSPORT_ENV}=${wanted ?? '(unset)'}); start this module through threadProfile, nodeProcessProfile or stdioProfile, or set ${TRANSPORT_ENV} to ipc or stdio`);
}

function threadTransport(port: MessagePort): RuntimeTransport {
  return {
    kind: 'thread',
    write: (message, transfer) => port.postMessage(packFrames(message), transfer),
    listen(receive, end) {
      port.on('message', (message: unknown) => unpackFrames(message, receive));
      port.once('close', end);
    },
  };
}

const ignoreSendResult = (): void => {}; // a send after disconnect reports here instead of as an uncaught 'error'

function ipcTransport(): RuntimeTransport {
  const send = process.send!.bind(process);
  return {
    kind: 'ipc',
    write: (message) => {
      send(message, undefined, undefined, ignoreSendResult);
    },
    listen(receive, end) {
      process.on('message', receive);
      process.once('disconnect', end);
    },
  };
}

function stdioTransport(): RuntimeTransport {
  const stdout = process.stdout;
  const writeFrames = stdout.write.bind(stdout);
  // fd 1 carries frames only: anything else written to stdout (console.log too) goes to stderr
  const toStderr = process.stderr.write.bind(process.stderr);
  stdout.write = toStderr as typeof stdout.write;
  return {
    kind: 'stdio',
    write: (message) => {
      writeFrames(encodeMessage(message));
    },
    listen(receive, end) {
      const decoder = new MessageDecoder();
      process.stdin.on('data', (chunk: Buffer) => {
        const messages = decoder.push(chunk); // a broken stream throws: the worker crashes, loudly
        for (let i = 0; i < messages.length; i++) receive(messages[i]);
      });
      process.stdin.once('end', end);
    },
  };
}
