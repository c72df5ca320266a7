/**
 * The demo's HTTP client: every request it sends is counted, and so is how it ended: an
 * answer (by status, and by the typed error code of a 4xx/5xx body), or no answer (the
 * connection was reset: the whole service was SIGKILLed under it).
 */
import { request } from 'node:http';

/** One reply. `status` 0: no answer (the connection failed); `error` the code of an error body. */
export interface Reply {
  readonly status: number;
  readonly body: any;
  readonly error?: string;
}

/** The tallies the summary prints. */
export interface Tally {
  sent: number;
  answered: number;
  ok: number;
  /** Answered with an error, by its code. */
  readonly failedBy: Record<string, number>;
  /** Not answered: the connection failed (the service was killed under it). */
  cutOff: number;
}

/**
 * A client of one service address (`retarget` points it at a restarted service).
 *
 * @example
 * const client = new Client(port);
 * const r = await client.send('POST', '/sessions', '');
 */
export class Client {
  readonly tally: Tally = { sent: 0, answered: 0, ok: 0, failedBy: {}, cutOff: 0 };
  /** Called after every request (the progress line). */
  onReply: () => void = () => undefined;

  constructor(private port: number) {}

  retarget(port: number): void {
    this.port = port;
  }

  send(method: string, path: string, body = '', headers: Record<string, string> = {}): Promise<Reply> {
    this.tally.sent++;
    return new Promise<Reply>((resolve) => {
      const req = request({ host: '127.0.0.1', port: this.port, method, path, headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
          const status = res.statusCode ?? 0;
          this.tally.answered++;
          if (status < 400) {
            this.tally.ok++;
            resolve({ status, body: parsed });
          } else {
            const code = typeof parsed?.error === 'string' ? parsed.error : `http_${status}`;
            this.tally.failedBy[code] = (this.tally.failedBy[code] ?? 0) + 1;
            resolve({ status, body: parsed, error: code });
          }
        });
        res.on('error', () => this.cut(resolve));
      });
      req.on('error', () => this.cut(resolve));
      req.end(body);
    }).finally(() => this.onReply());
  }

  private cut(resolve: (r: Reply) => void): void {
    this.tally.cutOff++;
    resolve({ status: 0, body: undefined, error: 'no_answer' });
  }
}
