/**
 * The observer's request checks, in order: the Host header (DNS rebinding), the Origin and
 * Sec-Fetch-Site headers (cross-origin requests), then the token (query, header or cookie,
 * compared in constant time). @internal
 */
import type { IncomingMessage } from 'node:http';
import { tokensEqual } from '../private.js';

/** Why a request is refused: the status and a one-line message. */
export interface Refusal {
  readonly status: 401 | 403;
  readonly message: string;
}

/** The name of the cookie that carries the token (per port: cookies are shared by every port of a host). */
export function cookieName(port: number): string {
  return `arbor_observer_${port}`;
}

/** The header a script may send the token in instead of the cookie. */
export const TOKEN_HEADER = 'x-arbor-token';

/** The token a request carries, from the `token` query parameter, the header or the cookie; undefined if none. */
export function tokenOf(req: IncomingMessage, url: URL, port: number): string | undefined {
  const query = url.searchParams.get('token');
  if (query !== null) return query;
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string') return header;
  const cookies = req.headers.cookie;
  if (cookies === undefined) return undefined;
  const name = cookieName(port);
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Null if the request may go on, else why not. */
export function refusalOf(req: IncomingMessage, url: URL, port: number, token: string): Refusal | null {
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`];
  const host = req.headers.host;
  if (host === undefined || !allowed.includes(host)) {
    return { status: 403, message: `refused: the Host header must be 127.0.0.1:${port} or localhost:${port} (got ${JSON.stringify(host ?? null)}); open the URL the observer printed` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return { status: 403, message: `refused: cross-origin request from ${JSON.stringify(origin)}; the observer answers only its own page` };
  }
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
    return { status: 403, message: `refused: a ${site} request; the observer answers only its own page` };
  }
  const got = tokenOf(req, url, port);
  if (got === undefined) return { status: 401, message: 'refused: no token; open the URL the observer printed (it ends with ?token=...)' };
  if (!tokensEqual(token, got)) return { status: 403, message: 'refused: wrong token; open the URL the observer printed (a restarted observer has a new token)' };
  return null;
}
