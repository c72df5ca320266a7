/** HTTP helpers for the observer tests: raw requests (any Host header) and an SSE reader. */
import { request, type IncomingHttpHeaders } from 'node:http';

/** A raw answer. */
export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Sends one request to 127.0.0.1:`port` with exactly these headers (Host included, unless given). */
export function send(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ agent: false, host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** One server-sent event. */
export interface SseEvent {
  readonly event: string;
  readonly data: unknown;
}

/** Reads a server-sent event stream: `next()` resolves with the next event. */
export class SseReader {
  readonly status: Promise<number>;
  readonly #queue: SseEvent[] = [];
  readonly #waiters: ((e: SseEvent | null) => void)[] = [];
  #buffer = '';
  #ended = false;
  readonly #req;

  constructor(port: number, path: string, headers: Record<string, string>) {
    let setStatus!: (s: number) => void;
    this.status = new Promise((r) => (setStatus = r));
    this.#req = request({ agent: false, host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      setStatus(res.statusCode ?? 0);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => this.#take(chunk));
      res.on('end', () => this.#end());
      res.on('error', () => this.#end());
    });
    this.#req.on('error', () => {
      setStatus(0);
      this.#end();
    });
    this.#req.end();
  }

  /** The next event, or null once the stream ended. */
  next(): Promise<SseEvent | null> {
    const e = this.#queue.shift();
    if (e !== undefined) return Promise.resolve(e);
    if (this.#ended) return Promise.resolve(null);
    return new Promise((r) => this.#waiters.push(r));
  }

  /** The next event named `name` (others are skipped), or null once the stream ended. */
  async nextOf(name: string): Promise<SseEvent | null> {
    for (;;) {
      const e = await this.next();
      if (e === null || e.event === name) return e;
    }
  }

  close(): void {
    this.#req.destroy();
  }

  #take(chunk: string): void {
    this.#buffer += chunk;
    for (let end = this.#buffer.indexOf('\n\n'); end >= 0; end = this.#buffer.indexOf('\n\n')) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      let event = 'message';
      let data: string | undefined;
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data = line.slice(6);
      }
      if (data === undefined) continue; // a comment
      const e = { event, data: JSON.parse(data) as unknown };
      const w = this.#waiters.shift();
      if (w !== undefined) w(e);
      else this.#queue.push(e);
    }
  }

  #end(): void {
    this.#ended = true;
    for (const w of this.#waiters.splice(0)) w(null);
  }
}

/** The token of an observer URL. */
export function tokenOf(url: string): string {
  return new URL(url).searchParams.get('token')!;
}

/** Polls `read` (every 5 ms, for up to `ms`) until it gives something other than undefined; rejects if it never does. */
export async function until<T>(read: () => T | undefined | Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`nothing within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
