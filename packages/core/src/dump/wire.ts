/**
 * The debug endpoint's protocol: newline-delimited JSON. The client writes one request
 * per line; the endpoint answers each with one line, in order, on the same connection.
 *
 *   {"op":"dump"}  ->  {"ok":true,"dump":<Dump>}
 *   {"op":"text"}  ->  {"ok":true,"text":"<renderDump output>"}
 *   anything else  ->  {"ok":false,"error":{"code":"bad_request"|"unknown_op","message":"..."}}
 *   (a dump that cannot be serialised answers code "internal_error")
 *
 * @internal
 */
import type { Dump, DumpNode, DumpStatus } from './DumpNode.js';

/** A request line, parsed. */
export type Request = { readonly op: 'dump' } | { readonly op: 'text' };

/** An answer line, parsed. */
export type Answer =
  | { readonly ok: true; readonly dump: Dump }
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly error: { readonly code: 'bad_request' | 'unknown_op' | 'internal_error'; readonly message: string } };

/** The longest request line the endpoint reads before it drops the connection. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** Parses a request line, or returns the error answer for it. */
export function parseRequest(line: string): Request | Answer {
  let req: unknown;
  try {
    req = JSON.parse(line);
  } catch {
    return { ok: false, error: { code: 'bad_request', message: 'a request is one line of JSON, such as {"op":"dump"}' } };
  }
  const op = typeof req === 'object' && req !== null ? (req as { op?: unknown }).op : undefined;
  if (op === 'dump' || op === 'text') return { op };
  return { ok: false, error: { code: 'unknown_op', message: `unknown op ${JSON.stringify(op) ?? 'undefined'}; ops are "dump" and "text"` } };
}

/**
 * Splits a byte stream into lines. Returns the complete lines of each chunk and keeps the
 * rest; `pendingBytes` is what waits for its newline.
 */
export class LineSplitter {
  #parts: Buffer[] = [];
  #pending = 0;

  get pendingBytes(): number {
    return this.#pending;
  }

  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.#parts.push(chunk.subarray(start, nl));
      lines.push(Buffer.concat(this.#parts).toString('utf8'));
      this.#parts = [];
      this.#pending = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.#parts.push(chunk.subarray(start));
      this.#pending += chunk.length - start;
    }
    return lines;
  }
}

const STATUSES: ReadonlySet<DumpStatus> = new Set(['running', 'waiting', 'suspended', 'initializing', 'stopping', 'restarting', 'dead']);

/** Checks that an answer's `dump` has the dump's shape; returns what is wrong, or null. */
export function checkDump(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'no dump object';
  const d = value as Partial<Record<keyof Dump, unknown>>;
  if (d.version !== 1) return `dump version ${JSON.stringify(d.version)}, expected 1`;
  if (typeof d.system !== 'string' || typeof d.pid !== 'number' || typeof d.actors !== 'number' || typeof d.takenAt !== 'string') {
    return 'dump header fields missing';
  }
  if (!Array.isArray(d.roots)) return 'dump without roots';
  const stack: unknown[] = [...(d.roots as unknown[])];
  while (stack.length > 0) {
    const n = stack.pop();
    if (typeof n !== 'object' || n === null) return 'a node is not an object';
    const node = n as Partial<Record<keyof DumpNode, unknown>>;
    if (!(node.id === null || typeof node.id === 'string')) return 'a node without an id';
    if (!STATUSES.has(node.status as DumpStatus)) return `a node with status ${JSON.stringify(node.status)}`;
    if (!Array.isArray(node.names) || !Array.isArray(node.children)) return 'a node without names or children';
    for (const c of node.children as unknown[]) stack.push(c);
  }
  return null;
}
