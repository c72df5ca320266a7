/**
 * The HTTP API, as one function from a parsed request to a reply (so tests call it
 * without a socket, and `HttpApi` only does the node:http part):
 *
 * | route | answers |
 * |---|---|
 * | `POST /sessions` (JSON `{ "user": "ada" }`, optional) | 201 `{ session }` |
 * | `POST /documents` (the text as the body; `x-session`) | 201 `{ id, words }` |
 * | `GET /documents/:id` (`x-session`) | 200 the document |
 * | `GET /documents/:id/stats?rounds=&phrases=` | 200 stats, computed in the `stats` job pool (threads) |
 * | `GET /documents/:id/summary` | 200 keywords and readability, computed in the `summary` job pool (Python) |
 * | `GET /health` | 200 `{ documents, sessions, pools }` |
 *
 * Every error is a typed error that `toHttpError` maps to a status and `{ error: code, message }`.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { call, DynamicSupervisor, Registry, type ActorRef, type ActorSystem, type DynamicSupervisorProtocol, type RegistryHandle } from '@arbor/core';
import { JobPool, JobPoolStoppedError } from '@arbor/pool';
import { DocTables } from './DocTables.js';
import { BadRequestError, NoSessionError, NotFoundError, toHttpError, UnavailableError } from './httpErrors.js';
import { PHRASES_HEAP_BYTES, statsTask, summaryTask, type SummaryFault } from './jobPools.js';
import { Session, type SessionProtocol } from './Session.js';

/** The registry of sessions, and the supervisor of their actors (local names). */
export const SESSIONS = 'docservice.sessions';
export const SESSION_SUP = 'docservice.session-sup';

/** A request as the routes see it. */
export interface ApiRequest {
  readonly method: string;
  /** The path and query, as in `req.url`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** A reply: a status and a JSON body. */
export interface ApiReply {
  readonly status: number;
  readonly body: unknown;
}

/** What the routes need besides the system: whether summaries run, and the demo's faults. */
export interface RouteOptions {
  /** False when python3 is not on the PATH: summaries answer 503 `python_missing`. */
  readonly python: boolean;
  /** Accept the `x-fault` header (the demo's fault injection); a directory for crash markers. */
  readonly faults?: { readonly dir: string } | undefined;
}

/** The most rounds a stats request may ask for, and the longest phrases. */
export const MAX_ROUNDS = 5_000_000;
export const MAX_PHRASE_WORDS = 100;

function sessions(system: ActorSystem): RegistryHandle<string, undefined, SessionProtocol> {
  const handle = Registry.named<string, undefined, SessionProtocol>(system, SESSIONS);
  if (handle === undefined) throw new Error(`the ${SESSIONS} registry is not running`);
  return handle;
}

function header(req: ApiRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function requireSession(system: ActorSystem, req: ApiRequest): Promise<string> {
  const id = header(req, 'x-session');
  if (id === undefined || id === '') throw new NoSessionError('send the id that POST /sessions answered in the x-session header');
  const ref = sessions(system).whereis(id);
  if (ref === undefined) throw new NoSessionError(`no session ${JSON.stringify(id)} (sessions end when the service restarts); POST /sessions for a new one`);
  await call(ref, { type: 'touch' });
  return id;
}

function intParam(query: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new BadRequestError(`query "${name}" must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

function documentOf(system: ActorSystem, id: string) {
  const doc = DocTables.ensureTable('documents', system).lookup(id);
  if (doc === undefined) throw new NotFoundError(`no document ${JSON.stringify(id)}; POST /documents first, and use the id it answers`);
  return doc;
}

/** Runs a job; once, if its pool was restarting, after waiting for it to take jobs again. */
async function runOnPool<R>(pool: JobPool, job: () => Promise<R>): Promise<R> {
  try {
    return await job();
  } catch (error) {
    if (!(error instanceof JobPoolStoppedError)) throw error;
    await pool.ready({ timeoutMs: 5_000 });
    return await job();
  }
}

function fault(req: ApiRequest, options: RouteOptions): SummaryFault | null {
  const asked = header(req, 'x-fault');
  if (asked === undefined) return null;
  if (options.faults === undefined) throw new BadRequestError('the x-fault header is the demo\'s fault injection: start the service with --faults to accept it');
  if (asked === 'python-crash') return { crash_marker: join(options.faults.dir, `crash-${randomUUID()}`) };
  if (asked === 'python-hang') return { hang: true };
  throw new BadRequestError(`x-fault must be "python-crash" or "python-hang", got ${JSON.stringify(asked)}`);
}

async function route(system: ActorSystem, req: ApiRequest, options: RouteOptions): Promise<ApiReply> {
  const url = new URL(req.url, 'http://127.0.0.1');
  const parts = url.pathname.split('/').filter((p) => p !== '');
  const at = `${req.method} /${parts.join('/')}`;

  if (req.method === 'POST' && parts.length === 1 && parts[0] === 'sessions') {
    let user = 'anonymous';
    if (req.body.trim() !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(req.body);
      } catch {
        throw new BadRequestError('POST /sessions takes no body, or JSON such as {"user":"ada"}');
      }
      const u = (parsed as { user?: unknown } | null)?.user;
      if (typeof u !== 'string' || u === '') throw new BadRequestError(`POST /sessions: "user" must be a non-empty string, got ${JSON.stringify(u)}`);
      user = u;
    }
    const id = `s-${randomUUID().slice(0, 8)}`;
    const sup = system.whereis<DynamicSupervisorProtocol>(SESSION_SUP) as ActorRef<DynamicSupervisorProtocol> | undefined;
    if (sup === undefined) throw new Error(`the ${SESSION_SUP} supervisor is not running`);
    const started = await DynamicSupervisor.startChild(sup, { start: { behaviour: Session, arg: { id, user }, options: { name: sessions(system).via(id) } }, restart: 'temporary' });
    if (started.status !== 'ok') throw new Error(`the session did not start: ${String(started.status)}`);
    return { status: 201, body: { session: id, user } };
  }

  if (req.method === 'GET' && parts.length === 1 && parts[0] === 'health') {
    return {
      status: 200,
      body: {
        documents: DocTables.ensureTable('documents', system).size(),
        sessions: sessions(system).count(),
        pools: { stats: JobPool.of(system, 'stats').status(), ...(options.python ? { summary: JobPool.of(system, 'summary').status() } : {}) },
      },
    };
  }

  if (parts[0] !== 'documents') throw new NotFoundError(`no route ${at}; the routes are POST /sessions, POST /documents, GET /documents/:id, GET /documents/:id/stats, GET /documents/:id/summary, GET /health`);
  const session = await requireSession(system, req);

  if (req.method === 'POST' && parts.length === 1) {
    if (req.body.trim() === '') throw new BadRequestError('POST /documents: send the document\'s text as the request body, e.g. curl --data-binary @notes.txt -H "x-session: <id>" http://127.0.0.1:<port>/documents');
    const id = `doc-${randomUUID().slice(0, 8)}`;
    DocTables.ensureTable('documents', system).insert(id, { id, text: req.body, session, createdAt: Date.now() });
    return { status: 201, body: { id, chars: req.body.length } };
  }

  if (req.method === 'GET' && parts.length === 2) return { status: 200, body: documentOf(system, parts[1]!) };

  if (req.method === 'GET' && parts.length === 3 && parts[2] === 'stats') {
    const doc = documentOf(system, parts[1]!);
    const rounds = intParam(url.searchParams, 'rounds', 1, MAX_ROUNDS, 1);
    const phrases = intParam(url.searchParams, 'phrases', 0, MAX_PHRASE_WORDS, 0);
    const pool = JobPool.of(system, 'stats');
    // Counting phrases may need much more heap than the text: such a job runs alone on a thread capped at 32 MiB.
    const stats = await runOnPool(pool, () => pool.run(statsTask, [doc.text, rounds, phrases], { timeoutMs: 15_000, ...(phrases > 1 ? { maxHeapBytes: PHRASES_HEAP_BYTES } : {}) }));
    return { status: 200, body: { id: doc.id, ...stats } };
  }

  if (req.method === 'GET' && parts.length === 3 && parts[2] === 'summary') {
    const doc = documentOf(system, parts[1]!);
    const injected = fault(req, options);
    if (!options.python) throw new UnavailableError('python_missing', 'summaries run in Python: install python3 (apt-get install python3) and restart the service');
    const pool = JobPool.of(system, 'summary');
    // A summary is a pure function of the text: idempotent, so the crash barrier may run it again on another worker.
    const summary = await runOnPool(pool, () => pool.run(summaryTask, [doc.text, injected], { idempotent: true, timeoutMs: 3_000 }));
    return { status: 200, body: { id: doc.id, ...summary } };
  }

  throw new NotFoundError(`no route ${at}; see GET /documents/:id, /documents/:id/stats, /documents/:id/summary`);
}

/**
 * Answers one request; never rejects: an error becomes its status and `{ error, message }`.
 *
 * @example
 * const reply = await handleRequest(system, { method: 'POST', url: '/sessions', headers: {}, body: '' }, { python: true });
 * // { status: 201, body: { session: 's-1a2b3c4d', user: 'anonymous' } }
 */
export async function handleRequest(system: ActorSystem, req: ApiRequest, options: RouteOptions): Promise<ApiReply> {
  try {
    return await route(system, req, options);
  } catch (error) {
    return toHttpError(error);
  }
}
