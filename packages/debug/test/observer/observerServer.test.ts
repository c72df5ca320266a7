/**
 * The observer's HTTP server with real parts: a system, a localSource, node:http requests.
 * Security (token, Host, Origin, allowControl), the SSE snapshot and diffs, /actor, /trace and control.
 */
import test from 'ava';
import { dump, InitError, InvalidOptionError, type ActorSystem, type DumpNode } from '@arbor/core';
import { DebugEndpoint, localSource, ObserverClosedError, startObserver, type DebugEndpointOptions, type Observer, type ObserverSource } from '../../src/index.js';
import { eventually } from '../support/helpers.js';
import { startShop, type WorkerProtocol } from './fixture.js';
import { send, SseReader, tokenOf, until } from './http.js';

interface Setup {
  system: ActorSystem;
  observer: Observer;
  port: number;
  auth: Record<string, string>;
}

async function setup(t: import('ava').ExecutionContext, allowControl = false): Promise<Setup> {
  const { system } = await startShop(2);
  const observer = await startObserver(localSource(system), { allowControl, sampleMs: 50 });
  t.teardown(async () => {
    await observer.close();
    await system.shutdown();
  });
  return { system, observer, port: observer.port, auth: { 'x-arbor-token': tokenOf(observer.url) } };
}

function findNode(nodes: readonly DumpNode[], name: string): DumpNode | undefined {
  for (const n of nodes) {
    if (n.names.includes(name)) return n;
    const deeper = findNode(n.children, name);
    if (deeper !== undefined) return deeper;
  }
  return undefined;
}

test('the URL is 127.0.0.1 with a 256-bit token; the page load moves the token into an HttpOnly SameSite=Strict cookie', async (t) => {
  const { observer, port } = await setup(t);
  t.regex(observer.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  const load = await send(port, `/?token=${tokenOf(observer.url)}`);
  t.is(load.status, 303);
  t.is(load.headers.location, '/');
  const cookie = String(load.headers['set-cookie']);
  t.regex(cookie, new RegExp(`^arbor_observer_${port}=${tokenOf(observer.url)}; HttpOnly; SameSite=Strict; Path=/$`));
  const page = await send(port, '/', { headers: { cookie: cookie.split(';')[0]! } });
  t.is(page.status, 200);
  t.regex(page.body, /<title>Arbor observer<\/title>/);
  t.regex(String(page.headers['content-security-policy']), /^default-src 'self'/);
  t.false(/https?:\/\/(?!127\.0\.0\.1)/.test(page.body), 'the page loads nothing from elsewhere');
  const js = await send(port, '/app.js', { headers: { cookie: cookie.split(';')[0]! } });
  t.is(js.status, 200);
  t.regex(String(js.headers['content-type']), /^text\/javascript/);
});

test('a request without the token is refused 401, with a wrong one 403, on every path', async (t) => {
  const { port, observer } = await setup(t);
  for (const path of ['/', '/app.js', '/events', '/actor/x', '/trace/x']) {
    const none = await send(port, path);
    t.is(none.status, 401, path);
    t.regex(none.body, /no token/);
    const wrong = await send(port, path, { headers: { 'x-arbor-token': 'A'.repeat(43) } });
    t.is(wrong.status, 403, path);
    t.regex(wrong.body, /wrong token/);
    const wrongCookie = await send(port, path, { headers: { cookie: `arbor_observer_${port}=nope` } });
    t.is(wrongCookie.status, 403, path);
  }
  const wrongQuery = await send(port, '/?token=nope');
  t.is(wrongQuery.status, 403);
  t.is(wrongQuery.headers['set-cookie'], undefined, 'no cookie for a wrong token');
  t.is((await send(port, `/app.js?token=${tokenOf(observer.url)}`, { method: 'HEAD' })).status, 200, 'the query token works on any path');
  t.is((await send(port, `/events?token=${tokenOf(observer.url)}`, { method: 'HEAD' })).status, 405);
});

test('a foreign Host header is refused 403 even with the token (DNS rebinding); localhost:<port> is served', async (t) => {
  const { port, auth } = await setup(t);
  for (const host of ['evil.example', `evil.example:${port}`, '127.0.0.1', `127.0.0.1:${port + 1}`, `0.0.0.0:${port}`]) {
    const r = await send(port, '/', { headers: { ...auth, host } });
    t.is(r.status, 403, host);
    t.regex(r.body, /Host header must be 127\.0\.0\.1:/);
  }
  t.is((await send(port, '/', { headers: { ...auth, host: `localhost:${port}` } })).status, 200);
});

test('a cross-origin request is refused 403 even with the token; the same origin is served', async (t) => {
  const { port, auth } = await setup(t);
  for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`]) {
    const r = await send(port, '/events', { headers: { ...auth, origin } });
    t.is(r.status, 403, origin);
    t.regex(r.body, /cross-origin/);
  }
  const site = await send(port, '/', { headers: { ...auth, 'sec-fetch-site': 'cross-site' } });
  t.is(site.status, 403);
  const same = await send(port, '/actor/none', { headers: { ...auth, origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' } });
  t.is(same.status, 404, 'past the checks: no such actor');
});

test('control without allowControl is refused 403 with a message naming --allow-control, and does nothing', async (t) => {
  const { port, auth, system } = await setup(t, false);
  const orders = system.whereis('orders')!;
  const r = await send(port, '/control', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'kill', id: orders.id }) });
  t.is(r.status, 403);
  t.regex(r.body, /--allow-control/);
  t.is(system.whereis('orders'), orders, 'still the same actor');
});

test('with allowControl: kill restarts a supervised child (a new id in the next dump); restart and suspend/resume work; bad requests are refused', async (t) => {
  const { port, auth, system } = await setup(t, true);
  const post = (body: unknown, type = 'application/json') => send(port, '/control', { method: 'POST', headers: { ...auth, 'content-type': type }, body: JSON.stringify(body) });
  const orders = system.whereis('orders')!;
  const killed = await post({ action: 'kill', id: orders.id });
  t.is(killed.status, 200, killed.body);
  t.deepEqual(JSON.parse(killed.body), { ok: true });
  const after = await until(() => {
    const n = findNode(dump(system).roots, 'orders');
    return n !== undefined && n.id !== null && n.id !== orders.id ? n : undefined;
  });
  t.is(after.restarts, 1);
  t.regex(after.lastExit ?? '', /kill/);

  const mailer = system.whereis('mailer')!;
  const restarted = await post({ action: 'restart', id: mailer.id });
  t.deepEqual(JSON.parse(restarted.body), { ok: true });
  const newMailer = system.whereis('mailer');
  t.truthy(newMailer);
  t.not(newMailer!.id, mailer.id);

  const root = system.whereis('shop')!;
  const rootRestart = await post({ action: 'restart', id: root.id });
  t.is(rootRestart.status, 409);
  t.regex(JSON.parse(rootRestart.body).reason, /not a supervisor's child/);
  t.is(system.whereis('shop'), root);

  t.deepEqual(JSON.parse((await post({ action: 'suspend', id: newMailer!.id })).body), { ok: true });
  t.is(system.getStatus(newMailer!).status, 'suspended');
  t.deepEqual(JSON.parse((await post({ action: 'resume', id: newMailer!.id })).body), { ok: true });
  t.not(system.getStatus(newMailer!).status, 'suspended');

  t.is((await post({ action: 'kill', id: 'nobody' })).status, 409);
  t.is((await post({ action: 'explode', id: newMailer!.id })).status, 400);
  t.is((await post({ action: 'kill', id: newMailer!.id }, 'text/plain')).status, 415, 'JSON only');
  t.is((await send(port, '/control', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{' })).status, 400);
  t.is(system.whereis('mailer'), newMailer, 'the refused requests did nothing');
});

test('/events sends a snapshot of the tree, then diffs with the changes', async (t) => {
  const { port, auth, system } = await setup(t);
  const events = new SseReader(port, '/events', auth);
  t.teardown(() => events.close());
  t.is(await events.status, 200);
  const first = await events.next();
  t.is(first?.event, 'snapshot');
  const snapshot = first!.data as { system: string; allowControl: boolean; roots: string[]; nodes: { key: string; id: string; names: string[]; parent: string | null; children: string[] }[] };
  t.is(snapshot.system, 'shop');
  t.false(snapshot.allowControl);
  const orders = snapshot.nodes.find((n) => n.names.includes('orders'))!;
  t.is(orders.id, system.whereis('orders')!.id);
  t.is(orders.key, `${snapshot.roots[0]}/orders`, 'a supervised child is keyed by its place');
  t.true(snapshot.nodes.find((n) => n.key === snapshot.roots[0])!.children.includes(orders.key));
  t.truthy(snapshot.nodes.find((n) => n.names.includes('db')), 'the pool is in the tree');

  const ordersRef = system.whereis('orders')!;
  system.exit(ordersRef, 'kill');
  // Diffs come until one shows the restarted child under the same key with a new id.
  for (;;) {
    const e = await events.nextOf('diff');
    t.truthy(e, 'the stream is still open');
    const diff = e!.data as { changed: { key: string; id: string | null; restarts: number }[]; removed: string[]; timeline: { kind: string; key: string }[] };
    const row = diff.changed.find((n) => n.key === orders.key);
    if (row === undefined || row.id === null || row.id === ordersRef.id) continue;
    t.is(row.restarts, 1);
    t.deepEqual(diff.removed, []);
    t.true(diff.timeline.some((x) => x.kind === 'restart' && x.key === orders.key));
    break;
  }
});

test('/trace/:id streams the events of a cast sent to the actor, bounded by max', async (t) => {
  const { port, auth, system } = await setup(t);
  const orders = system.whereis<WorkerProtocol>('orders')!;
  const trace = new SseReader(port, `/trace/${orders.id}?max=2`, auth);
  t.teardown(() => trace.close());
  t.is(await trace.status, 200);
  t.true(await eventually(() => system.traces().length === 1));
  system.cast(orders, { type: 'inc', by: 7 });
  const received = (await trace.nextOf('trace'))!.data as { kind: string; via: string; preview: string };
  t.like(received, { kind: 'received', via: 'cast', preview: "{ type: 'inc', by: 7 }" });
  t.like((await trace.nextOf('trace'))!.data, { kind: 'handled', outcome: 'ok' });
  t.like((await trace.nextOf('end'))!.data, { reason: 'max', events: 2 });
  t.is(await trace.next(), null, 'the stream ends with the trace');
  const none = await send(port, '/trace/nobody', { headers: auth });
  t.is(none.status, 404);
  t.is((await send(port, `/trace/${orders.id}?max=0`, { headers: auth })).status, 400);
});

test('closing the trace stream stops the trace', async (t) => {
  const { port, auth, system } = await setup(t);
  const trace = new SseReader(port, `/trace/${system.whereis('orders')!.id}`, auth);
  t.is(await trace.status, 200);
  t.true(await eventually(() => system.traces().length === 1));
  trace.close();
  t.true(await eventually(() => system.traces().length === 0));
});

test('/actor/:id answers the state preview, details and history; 404 for no live actor', async (t) => {
  const { port, auth, system } = await setup(t);
  system.cast(system.whereis<WorkerProtocol>('orders')!, { type: 'inc', by: 41 });
  const db = system.whereis('db')!;
  const answer = await until(async () => {
    const r = await send(port, `/actor/${system.whereis('orders')!.id}`, { headers: auth });
    const a = JSON.parse(r.body) as { node: { names: string[] } | null; state: string; history: { t: number[] } };
    return a.node !== null && a.history.t.length > 0 ? a : undefined;
  });
  t.is(answer.state, '41');
  t.deepEqual(answer.node!.names, ['orders']);
  const pool = JSON.parse((await send(port, `/actor/${db.id}`, { headers: auth })).body) as { details: Record<string, unknown> };
  t.like(pool.details, { pool: 'db', size: 4, waiting: 3 });
  t.is((await send(port, '/actor/nobody', { headers: auth })).status, 404);
  t.is((await send(port, '/actor/%E0%A4%A', { headers: auth })).status, 400, 'a malformed escape is a bad request, not a crash');
  t.is((await send(port, '/trace/', { headers: auth })).status, 400);
});

test('close() stops listening and ends the streams and traces; the source reports it is closed once closed', async (t) => {
  const { system } = await startShop(1);
  t.teardown(() => system.shutdown());
  const source = localSource(system);
  const observer = await startObserver(source, { sampleMs: 50 });
  const auth = { 'x-arbor-token': tokenOf(observer.url) };
  const events = new SseReader(observer.port, '/events', auth);
  const trace = new SseReader(observer.port, `/trace/${system.whereis('orders')!.id}`, auth);
  t.is(await trace.status, 200);
  t.is((await events.next())?.event, 'snapshot');
  await observer[Symbol.asyncDispose]();
  await observer.close();
  t.is(await events.nextOf('never'), null);
  t.true(await eventually(() => system.traces().length === 0));
  await t.throwsAsync(send(observer.port, '/', { headers: auth }), { code: 'ECONNREFUSED' });
  await source.close();
  await t.throwsAsync(source.dump(), { instanceOf: ObserverClosedError });
});

test('startObserver and localSource refuse junk with InvalidOptionError', async (t) => {
  const { system } = await startShop(1);
  t.teardown(() => system.shutdown());
  const source = localSource(system);
  t.throws(() => localSource({} as never), { instanceOf: InvalidOptionError });
  for (const [junk, message] of [
    [{ port: -1 }, /options\.port must be an integer from 0 to 65535/],
    [{ port: 1.5 }, /options\.port/],
    [{ allowControl: 'yes' }, /options\.allowControl must be true or false/],
    [{ sampleMs: 1 }, /options\.sampleMs must be milliseconds from 20 to 60000/],
    [{ logger: console.log }, /options\.logger must be a logger with info\(\) and warn\(\)/],
    [5, /options must be an object/],
  ] as const) {
    await t.throwsAsync(startObserver(source, junk as never), { instanceOf: InvalidOptionError, message }, JSON.stringify(junk));
  }
  await t.throwsAsync(startObserver({} as never), { instanceOf: InvalidOptionError, message: /source must be an ObserverSource/ });
});

test('DebugEndpoint({ http }) serves the observer too: observerUrl, the address in its status, closed with the endpoint', async (t) => {
  const { system } = await startShop(1);
  t.teardown(() => system.shutdown());
  const debug = await DebugEndpoint.start(system, { port: 0, http: { allowControl: true } });
  const url = await DebugEndpoint.observerUrl(debug);
  t.regex(url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  const port = Number(new URL(url!).port);
  const events = new SseReader(port, '/events', { 'x-arbor-token': tokenOf(url!) });
  const snapshot = (await events.next())!.data as { allowControl: boolean; nodes: { behaviour: string }[] };
  t.true(snapshot.allowControl);
  t.true(snapshot.nodes.some((n) => n.behaviour === 'DebugEndpoint'));
  t.is(system.getStatus(debug).details?.['observer'], `http://127.0.0.1:${port}/`, 'the status shows the address, not the token');
  system.exit(debug, 'shutdown');
  t.is(await events.nextOf('never'), null);
  await until(async () => ((await send(port, '/').catch((e: NodeJS.ErrnoException) => e.code)) === 'ECONNREFUSED' ? true : undefined));

  const plain = await DebugEndpoint.start(system, { port: 0 });
  t.is(await DebugEndpoint.observerUrl(plain), null);
  t.is(system.getStatus(plain).details?.['observer'], undefined);
  for (const http of [5, 'yes', { port: -1 }, { allowControl: 1 }, { extra: true }]) {
    await t.throwsAsync(DebugEndpoint.start(system, { port: 0, http: http as never }), { instanceOf: InitError }, JSON.stringify(http));
  }
});

test('types: localSource is an ObserverSource; control takes the four actions; observerUrl answers string | null', async (t) => {
  const { system } = await startShop(1);
  t.teardown(() => system.shutdown());
  const source: ObserverSource = localSource(system);
  const refused = async (): Promise<void> => {
    // @ts-expect-error: not one of 'kill' | 'restart' | 'suspend' | 'resume'
    await source.control('explode', 'x');
  };
  // @ts-expect-error: http.port is a number
  const badOptions: DebugEndpointOptions = { http: { port: '80' } };
  const debug = await DebugEndpoint.start(system, { port: 0, http: false });
  const url: string | null = await DebugEndpoint.observerUrl(debug);
  t.is(url, null);
  await t.throwsAsync(refused(), { instanceOf: InvalidOptionError }, 'refused at run time too');
  t.truthy(badOptions);
});
