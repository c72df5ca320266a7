import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { ActorRef } from '@arbor/core';
import { ProcessRegistry, type ProcessRegistryProtocol } from '@arbor/process-registry';
import { startDocService, type DocService } from '../../src/app/docService.js';
import { handleRequest, type ApiReply } from '../../src/app/routes.js';
import { documentText, seeded } from '../../src/demo/documents.js';
import { alive, until } from '../../src/demo/ServiceProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'docservice-routes-'));
let service: DocService;
let session: Record<string, string>;
let pythonPids: number[] = [];

const ask = (method: string, url: string, body = '', headers: Record<string, string> = {}): Promise<ApiReply> =>
  handleRequest(service.app.system, { method, url, headers, body }, { python: service.python });
const bodyOf = (r: ApiReply) => r.body as Record<string, any>;

test.before(async () => {
  service = await startDocService({ registryPath: join(dir, 'process-registry.mdb'), signals: false, logLevel: 'silent' });
  const r = await ask('POST', '/sessions', '{"user":"ada"}');
  session = { 'x-session': bodyOf(r)['session'] };
  const registry = ProcessRegistry.of(service.app.system.whereis<ProcessRegistryProtocol>('process-registry') as ActorRef<ProcessRegistryProtocol>);
  pythonPids = await registry.getActiveProcessPids();
});

test.after.always(async () => {
  if (service !== undefined && service.app.system.whereis('docservice') !== undefined) await service.app.stop();
  rmSync(dir, { recursive: true, force: true });
});

test.serial('a session, a document, its stats from a thread and its summary from Python', async (t) => {
  const posted = await ask('POST', '/documents', 'Arbor trees grow. Arbor actors restart!\nThe end.', session);
  t.is(posted.status, 201);
  const id = bodyOf(posted)['id'] as string;
  const stats = await ask('GET', `/documents/${id}/stats?rounds=10`, '', session);
  t.is(stats.status, 200);
  t.like(bodyOf(stats), { id, words: 8, lines: 2, rounds: 10 });
  t.deepEqual(bodyOf(stats)['topWords'][0], ['arbor', 2]);
  const summary = await ask('GET', `/documents/${id}/summary`, '', session);
  if (!service.python) {
    t.is(summary.status, 503);
    t.is(bodyOf(summary)['error'], 'python_missing');
    return;
  }
  t.is(summary.status, 200);
  t.like(bodyOf(summary), { words: 8, sentences: 3 });
  t.deepEqual(bodyOf(summary)['keywords'][0], ['arbor', 2]);
  t.true(pythonPids.includes(bodyOf(summary)['pid']), 'a Python worker of the pool answered');
});

test.serial('a job past its heap cap answers 507 oom, and the pool serves on', async (t) => {
  const big = await ask('POST', '/documents', documentText(seeded(1), 250_000), session);
  const r = await ask('GET', `/documents/${bodyOf(big)['id']}/stats?phrases=60`, '', session);
  t.is(r.status, 507);
  t.is(bodyOf(r)['error'], 'oom');
  t.regex(bodyOf(r)['message'], /ran out of memory/);
  const small = await ask('POST', '/documents', 'still here', session);
  t.is((await ask('GET', `/documents/${bodyOf(small)['id']}/stats`, '', session)).status, 200);
});

test.serial('bad requests answer 400 with a message saying how to fix them', async (t) => {
  const posted = await ask('POST', '/documents', 'some text', session);
  const id = bodyOf(posted)['id'] as string;
  const cases: readonly [ApiReply, string][] = [
    [await ask('GET', `/documents/${id}/stats?rounds=abc`, '', session), 'query "rounds" must be an integer from 1 to 5000000, got "abc"'],
    [await ask('GET', `/documents/${id}/stats?phrases=1000`, '', session), 'query "phrases" must be an integer from 0 to 100, got "1000"'],
    [await ask('POST', '/documents', '   ', session), 'POST /documents: send the document\'s text as the request body'],
    [await ask('POST', '/sessions', '{not json'), 'POST /sessions takes no body, or JSON such as {"user":"ada"}'],
    [await ask('POST', '/sessions', '{"user":5}'), 'POST /sessions: "user" must be a non-empty string, got 5'],
    [await ask('GET', `/documents/${id}/summary`, '', { ...session, 'x-fault': 'python-crash' }), 'start the service with --faults'],
  ];
  for (const [reply, message] of cases) {
    t.is(reply.status, 400, message);
    t.is(bodyOf(reply)['error'], 'bad_request');
    t.true((bodyOf(reply)['message'] as string).includes(message), bodyOf(reply)['message']);
  }
});

test.serial('no session answers 401, an unknown document or route 404, each saying what to do', async (t) => {
  const none = await ask('POST', '/documents', 'text');
  t.is(none.status, 401);
  t.like(bodyOf(none), { error: 'no_session', message: 'send the id that POST /sessions answered in the x-session header' });
  const stale = await ask('GET', '/documents/doc-1', '', { 'x-session': 's-gone' });
  t.is(stale.status, 401);
  t.regex(bodyOf(stale)['message'], /POST \/sessions for a new one/);
  const missing = await ask('GET', '/documents/doc-nope/stats', '', session);
  t.is(missing.status, 404);
  t.like(bodyOf(missing), { error: 'not_found', message: 'no document "doc-nope"; POST /documents first, and use the id it answers' });
  const route = await ask('DELETE', '/everything');
  t.is(route.status, 404);
  t.regex(bodyOf(route)['message'], /the routes are POST \/sessions, POST \/documents/);
});

test.serial('the HTTP server answers on 127.0.0.1 with the same JSON', async (t) => {
  const res = await fetch(`http://127.0.0.1:${service.port}/health`);
  t.is(res.status, 200);
  const body = (await res.json()) as Record<string, any>;
  t.true(body['documents'] >= 0);
  t.is(typeof body['pools']['stats']['workers'], 'number');
});

test.serial('the Python workers are gone after the service stops', async (t) => {
  t.true(pythonPids.length > 0 || !service.python, 'the summary pool ran Python workers');
  await service.app.stop();
  t.true(await until(() => pythonPids.every((p) => !alive(p)), 5_000), `still running: ${pythonPids.filter(alive).join(', ')}`);
});
