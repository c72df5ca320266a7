/**
 * The raw thread echo: answers `x + 1` on the MessagePort the parent passed in
 * `workerData.port` (a plain MessageChannel, as Arbor's thread profile uses); a batch (an
 * array) is answered with one array.
 */
import { workerData, type MessagePort } from 'node:worker_threads';

const port = (workerData as { port: MessagePort }).port;
port.on('message', (m: number | number[]) => {
  if (Array.isArray(m)) {
    const out = new Array<number>(m.length);
    for (let i = 0; i < m.length; i++) out[i] = m[i]! + 1;
    port.postMessage(out);
  } else port.postMessage(m + 1);
});
