/**
 * The debug endpoint's protocol: newline-delimited JSON. The client writes one request
 * per line; the endpoint answers each with one line, in order, on the same connection.
 *
 *   {"op":"dump"}  ->  {"ok":true,"dump":<Dump>}
 *   {"op":"text"}  ->  {"ok":true,"text":"<renderDump output>"}
 *   an unknown op  ->  {"ok":false,"error":{"code":"unknown_op","message":"..."}}
 *   (a dump that cannot be serialised answers code "internal_error")
 *   {"op":"actor","id":"..."}, {"op":"trace","id":"...","max":N}, {"op":"untrace"},
 *   {"op":"control","action":"kill","id":"..."}: see `ops/` (a known op with bad
 *   arguments answers "invalid_argument" and the connection stays open)
 *
 * On TCP every request carries the endpoint's token: `{"op":"dump","token":"..."}`.
 * A line that breaks the protocol (not JSON, too long, a wrong token) is answered with
 * one error line (`bad_request`, `request_too_large`, `unauthorized`), then the
 * connection is closed; so are connections over the limits (`too_many_connections`,
 * `idle_timeout`).
 *
 * @internal
 */
import { TRACE_EVENT_KINDS, type Dump, type DumpNode, type TraceEventKind } from '@arbor/core';
import type { ObserverControl } from './observer/source.js';

/** A request line, parsed: a dump op, one of the ops in `ops/`, or a known op with bad arguments. */
export type Request =
  | { readonly op: 'dump' | 'text'; readonly token: unknown }
  | { readonly op: 'actor'; readonly token: unknown; readonly id: string }
  | { readonly op: 'trace'; readonly token: unknown; readonly id: string; readonly max: number; readonly kinds: readonly TraceEventKind[] | undefined; readonly ratePerSec: number | undefined }
  | { readonly op: 'untrace'; readonly token: unknown }
  | { readonly op: 'control'; readonly token: unknown; readonly action: ControlAction; readonly id: string }
  | { readonly op: 'invalid'; readonly token: unknown; readonly message: string };

/** The `action` of a `control` request: the observer's control actions. */
export type ControlAction = ObserverControl;

/** The ops a request may name. */
export const OPS = ['dump', 'text', 'actor', 'trace', 'untrace', 'control'] as const;

/** The most events a `trace` request may ask for (`max`). */
export const MAX_WIRE_TRACE_EVENTS = 10_000;

/** The actions a `control` request may name. */
export const CONTROL_ACTIONS: ReadonlySet<string> = new Set<ControlAction>(['kill', 'restart', 'suspend', 'resume']);

/** The error codes of an answer line. */
export type AnswerErrorCode =
  | 'bad_request'
  | 'unknown_op'
  | 'internal_error'
  | 'unauthorized'
  | 'request_too_large'
  | 'too_many_connections'
  | 'idle_timeout'
  | 'invalid_argument'
  | 'actor_timeout'
  | 'no_actor'
  | 'not_supervised'
  | 'not_restartable'
  | 'restart_failed'
  | 'trace_active'
  | 'not_tracing'
  | 'endpoint_itself';

/** An answer line, parsed. */
export type Answer =
  | { readonly ok: true; readonly dump: Dump }
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly error: { readonly code: AnswerErrorCode; readonly message: string } };

/** The default longest request line the endpoint reads before it closes the connection. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** An error answer line (with its newline). */
export function errorLine(code: AnswerErrorCode, message: string): string {
  const answer: Answer = { ok: false, error: { code, message } };
  return `${JSON.stringify(answer)}\n`;
}

/** Parses a request line, or returns the error answer for it. */
export function parseRequest(line: string): Request | Answer {
  let req: unknown;
  try {
    req = JSON.parse(line);
  } catch {
    return { ok: false, error: { code: 'bad_request', message: 'a request is one line of JSON, such as {"op":"dump"}' } };
  }
  if (typeof req !== 'object' || req === null || Array.isArray(req)) {
    return { ok: false, error: { code: 'bad_request', message: 'a request is one JSON object per line, such as {"op":"dump"}' } };
  }
  const r = req as Record<string, unknown>;
  const op = r['op'];
  const token = r['token'];
  switch (op) {
    case 'dump':
    case 'text':
      return { op, token };
    case 'untrace':
      return { op, token };
    case 'actor': {
      const id = r['id'];
      return isId(id) ? { op, token, id } : invalid(token, `"actor" needs "id": an actor id (a non-empty string), got ${show(id)}`);
    }
    case 'control': {
      const { action, id } = r;
      if (typeof action !== 'string' || !CONTROL_ACTIONS.has(action)) return invalid(token, `"control" needs "action": "kill", "restart", "suspend" or "resume", got ${show(action)}`);
      return isId(id) ? { op, token, action: action as ControlAction, id } : invalid(token, `"control" needs "id": an actor id (a non-empty string), got ${show(id)}`);
    }
    case 'trace':
      return traceRequest(r, token);
    default:
      return { ok: false, error: { code: 'unknown_op', message: `unknown op ${show(op)}; ops are ${OPS.map((o) => `"${o}"`).join(', ')}` } };
  }
}

function traceRequest(r: Record<string, unknown>, token: unknown): Request {
  const { id, max, kinds, ratePerSec } = r;
  if (!isId(id)) return invalid(token, `"trace" needs "id": an actor id (a non-empty string), got ${show(id)}`);
  if (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 1 || max > MAX_WIRE_TRACE_EVENTS) {
    return invalid(token, `"trace" needs "max": a whole number of events from 1 to ${MAX_WIRE_TRACE_EVENTS}, got ${show(max)}`);
  }
  if (kinds !== undefined && (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every((k) => (TRACE_EVENT_KINDS as readonly unknown[]).includes(k)))) {
    return invalid(token, `"kinds" is a non-empty list of ${TRACE_EVENT_KINDS.map((k) => `"${k}"`).join(', ')}, or left out for all; got ${show(kinds)}`);
  }
  if (ratePerSec !== undefined && (typeof ratePerSec !== 'number' || !Number.isSafeInteger(ratePerSec) || ratePerSec < 1)) {
    return invalid(token, `"ratePerSec" is a whole number >= 1, or left out; got ${show(ratePerSec)}`);
  }
  return { op: 'trace', token, id, max, kinds: kinds as TraceEventKind[] | undefined, ratePerSec };
}

function isId(id: unknown): id is string {
  return typeof id === 'string' && id !== '' && id.length <= 256;
}

function invalid(token: unknown, message: string): Request {
  return { op: 'invalid', token, message };
}

/** A request value for an error message, cut short. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One line of JSON (with its newline) for any answer of the ops in `ops/`. */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/** The `token` field of a request line that is a JSON object (undefined if none). */
export function tokenOfLine(line: string): unknown {
  try {
    const req: unknown = JSON.parse(line);
    return typeof req === 'object' && req !== null ? (req as { token?: unknown }).token : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The answer line to a dump request, in pieces (`{"ok":true,"dump":...}` and its
 * newline): written node by node with an explicit stack, so the endpoint can yield
 * between pieces and a deep tree cannot overflow the call stack.
 */
export function* dumpAnswerPieces(d: Dump): Generator<string, void, void> {
  const { roots, ...head } = d;
  yield `{"ok":true,"dump":${openObject(head)}"roots":[`;
  const stack: { readonly nodes: readonly DumpNode[]; i: number }[] = [{ nodes: roots, i: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.i === frame.nodes.length) {
      stack.pop();
      yield stack.length === 0 ? ']}}\n' : ']}';
      continue;
    }
    const { children, ...rest } = frame.nodes[frame.i]!;
    yield `${frame.i === 0 ? '' : ','}${openObject(rest)}"children":[`;
    frame.i++;
    stack.push({ nodes: children, i: 0 });
  }
}

/** An object's JSON without its closing brace, ready for one more key. */
function openObject(value: object): string {
  const text = JSON.stringify(value);
  return text === '{}' ? '{' : `${text.slice(0, -1)},`;
}

/**
 * Splits a byte stream into lines. `append` keeps a chunk; `nextLine` takes one complete
 * line at a time and leaves the rest (so a reader can stop taking lines while it is
 * busy); `push` does both and returns every complete line. `pendingBytes` is what is
 * kept and not taken yet. With `maxLineBytes`, `overflow` turns true once a line
 * (complete or not) is found to be longer, and nothing more is kept.
 */
export class LineSplitter {
  /** The bytes kept, in order: the next line starts at the first. */
  #chunks: Buffer[] = [];
  #pending = 0;
  /** How many leading chunks are known to hold no newline, and their bytes (scanned once). */
  #clean = 0;
  #cleanBytes = 0;
  #overflow = false;

  constructor(readonly maxLineBytes: number = Infinity) {}

  get pendingBytes(): number {
    return this.#pending;
  }

  /** True once a line longer than `maxLineBytes` was seen. */
  get overflow(): boolean {
    return this.#overflow;
  }

  /** Keeps `chunk` and returns every complete line there is now. */
  push(chunk: Buffer): string[] {
    this.append(chunk);
    const lines: string[] = [];
    for (let line = this.nextLine(); line !== undefined; line = this.nextLine()) lines.push(line);
    return lines;
  }

  /** Keeps `chunk` (nothing once overflowed); lines are taken with `nextLine`. */
  append(chunk: Buffer): void {
    if (this.#overflow || chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#pending += chunk.length;
  }

  /** The next complete line (without its newline), or undefined if none is complete (or the splitter overflowed). */
  nextLine(): string | undefined {
    while (!this.#overflow && this.#clean < this.#chunks.length) {
      const chunk = this.#chunks[this.#clean]!;
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        this.#clean++;
        this.#cleanBytes += chunk.length;
        if (this.#cleanBytes > this.maxLineBytes) this.#overflowed();
        continue;
      }
      if (this.#cleanBytes + nl > this.maxLineBytes) {
        this.#overflowed();
        break;
      }
      const parts = this.#chunks.splice(0, this.#clean + 1);
      parts[parts.length - 1] = chunk.subarray(0, nl);
      if (nl + 1 < chunk.length) this.#chunks.unshift(chunk.subarray(nl + 1));
      this.#pending -= this.#cleanBytes + nl + 1;
      this.#clean = 0;
      this.#cleanBytes = 0;
      return (parts.length === 1 ? parts[0]! : Buffer.concat(parts)).toString('utf8');
    }
    return undefined;
  }

  /** The bytes kept, as one line (at the end of the stream, once `nextLine` has no more), or undefined if none. */
  flush(): string | undefined {
    if (this.#overflow || this.#pending === 0) return undefined;
    const line = Buffer.concat(this.#chunks).toString('utf8');
    this.#chunks = [];
    this.#pending = 0;
    this.#clean = 0;
    this.#cleanBytes = 0;
    return line;
  }

  #overflowed(): void {
    this.#overflow = true;
    this.#chunks = [];
    this.#pending = 0;
    this.#clean = 0;
    this.#cleanBytes = 0;
  }
}
