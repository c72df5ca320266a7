/** A raw NDJSON client of a debug endpoint for the op tests: send lines, await the lines that come back. */
import { connect, type Socket } from 'node:net';
import { parseEndpoint } from '../../src/index.js';

/** One open connection: `send` writes a line, `next` resolves with the next line (parsed), `closed` once the endpoint closed it. */
export interface LineClient {
  send(line: object | string): void;
  next(): Promise<Record<string, unknown>>;
  /** Lines received and not taken by `next` yet. */
  readonly buffered: number;
  readonly closed: Promise<void>;
  readonly socket: Socket;
  close(): Promise<void>;
}

/** Connects to `endpoint` (a socket path or 127.0.0.1:<port>); resolves once connected. */
export function lineClient(endpoint: string): Promise<LineClient> {
  const a = parseEndpoint(endpoint);
  const socket = 'path' in a ? connect(a.path) : connect(a.port, a.host);
  const lines: string[] = [];
  const waiters: ((line: string | undefined) => void)[] = [];
  let rest = '';
  let ended = false;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('data', (c: Buffer) => {
    rest += c.toString('utf8');
    for (let nl = rest.indexOf('\n'); nl !== -1; nl = rest.indexOf('\n')) {
      const line = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      const w = waiters.shift();
      if (w !== undefined) w(line);
      else lines.push(line);
    }
  });
  socket.on('error', () => {});
  void closed.then(() => {
    ended = true;
    for (const w of waiters.splice(0)) w(undefined);
  });
  const client: LineClient = {
    socket,
    closed,
    get buffered() {
      return lines.length;
    },
    send: (line) => socket.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`),
    next: () =>
      new Promise((resolve, reject) => {
        const take = (line: string | undefined): void => (line === undefined ? reject(new Error('the connection closed')) : resolve(JSON.parse(line) as Record<string, unknown>));
        const line = lines.shift();
        if (line !== undefined) take(line);
        else if (ended) take(undefined);
        else waiters.push(take);
      }),
    close: async () => {
      socket.destroy();
      await closed;
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('error', reject);
  });
}
