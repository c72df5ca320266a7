/**
 * `arbor observe` against the fixture application in another process: the real `arbor`
 * bin prints the observer URL; the page refuses a request without the token and serves
 * the page with it; the page reads the other process through its endpoint (an actor's
 * state, a live trace); control actions are off without --allow-control and work with
 * it; SIGINT and SIGTERM end it with exit 0, also after the application went away; a
 * first dump that fails exits 2. Every process started here is gone at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import test from 'ava';
import { fetchDump } from '@arbor/debug';
import { isAlive, pollUntil } from '@arbor/test-support';
import { BIN, startTopApp } from '../fixtures/startTopApp.js';

/** Every pid this file started, checked at the end. */
const started: number[] = [];

interface Observe {
  readonly child: ChildProcess;
  /** The printed URL (with the token). */
  readonly url: URL;
  readonly token: string;
  /** What it wrote on stderr so far. */
  stderr(): string;
  /** Resolves with the exit code and the output once the process has exited. */
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts `arbor observe ...args`, resolves once it printed its URL. */
function observe(args: readonly string[]): Promise<Observe> {
  const child = spawn(process.execPath, [BIN, 'observe', ...args], { env: { PATH: process.env['PATH'] }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const m = /^arbor observe: (http:\/\/127\.0\.0\.1:\d+\/\?token=([A-Za-z0-9_-]+)) /m.exec(stdout);
      if (m === null) return;
      child.stdout!.off('data', check);
      resolve({ child, url: new URL(m[1]!), token: m[2]!, done, stderr: () => stderr });
    };
    child.stdout!.on('data', check);
    void done.then((r) => reject(new Error(`arbor observe exited (${r.code}) before printing its URL: ${r.stderr}`)));
  });
}

test.serial('prints a 127.0.0.1 URL; without the token the page is refused, with it the page is served and reads the other process; SIGINT: exit 0', async (t) => {
  const app = await startTopApp(t);
  started.push(app.pid);
  const o = await observe(['--endpoint', app.endpoint]);
  t.teardown(() => void o.child.kill('SIGKILL'));
  t.is(o.url.hostname, '127.0.0.1');
  const origin = `http://127.0.0.1:${o.url.port}`;

  const refused = await fetch(`${origin}/`);
  t.is(refused.status, 401, 'no token');
  t.regex(await refused.text(), /no token/);
  t.is((await fetch(`${origin}/?token=wrong`, { redirect: 'manual' })).status, 403, 'a wrong token');

  const entry = await fetch(o.url, { redirect: 'manual' });
  t.is(entry.status, 303, 'the token moves into a cookie');
  const cookie = entry.headers.get('set-cookie')!.split(';')[0]!;
  const page = await fetch(`${origin}/`, { headers: { cookie } });
  t.is(page.status, 200);
  t.regex(page.headers.get('content-type')!, /^text\/html/);
  t.regex(await page.text(), /<html/i);

  // The page's data comes from the application process through its endpoint.
  const d = await fetchDump(app.endpoint);
  const ticker = d.roots.flatMap((r) => r.children).find((n) => n.childId === 'ticker')!;
  const actor = await fetch(`${origin}/actor/${ticker.id!}`, { headers: { cookie } });
  t.is(actor.status, 200);
  const body = (await actor.json()) as { state: string };
  t.regex(body.state, /^\d+$/, 'the ticker state: its count');
  const trace = await fetch(`${origin}/trace/${ticker.id!}?max=3&kinds=received`, { headers: { cookie } });
  t.is(trace.status, 200);
  const stream = await trace.text(); // the stream ends after its end event
  t.is(stream.match(/^event: trace$/gm)?.length, 3, stream);
  t.regex(stream, /^event: end\ndata: \{"reason":"max","events":3\}$/m);
  t.true(await pollUntil(async () => (await fetchDump(app.endpoint)).roots.flatMap((r) => r.children).every((n) => n.traced !== true), 5000), 'the remote trace ended');
  const control = await fetch(`${origin}/control`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'kill', id: ticker.id }) });
  t.is(control.status, 403, 'control actions are off without --allow-control');

  o.child.kill('SIGINT');
  const r = await o.done;
  t.is(r.code, 0, r.stderr);
  t.is(r.signal, null);
  t.is(r.stderr, '');
  t.true(isAlive(app.pid), 'the application keeps running');
  await app.stop();
});

test.serial('--allow-control --port: the page restarts a child of the other process; SIGTERM: exit 0', async (t) => {
  const app = await startTopApp(t);
  started.push(app.pid);
  const probe = await observe(['--endpoint', app.endpoint]); // a free port for --port
  const port = Number(probe.url.port);
  probe.child.kill('SIGTERM');
  t.is((await probe.done).code, 0);
  const o = await observe(['--endpoint', app.endpoint, '--allow-control', '--port', String(port)]);
  t.teardown(() => void o.child.kill('SIGKILL'));
  t.is(Number(o.url.port), port);
  const before = (await fetchDump(app.endpoint)).roots.flatMap((r) => r.children).find((n) => n.childId === 'ledger')!;
  const res = await fetch(`http://127.0.0.1:${port}/control`, {
    method: 'POST',
    headers: { 'x-arbor-token': o.token, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'restart', id: before.id }),
  });
  t.is(res.status, 200, await res.clone().text());
  t.true(await pollUntil(async () => {
    const after = (await fetchDump(app.endpoint)).roots.flatMap((r) => r.children).find((n) => n.childId === 'ledger');
    return after !== undefined && after.id !== null && after.id !== before.id;
  }, 5000), 'the ledger has a new actor');
  o.child.kill('SIGTERM');
  t.is((await o.done).code, 0);
  await app.stop();
});

test.serial('the application goes away: arbor observe stays, says so once on stderr, and still exits 0 on SIGINT', async (t) => {
  const app = await startTopApp(t);
  started.push(app.pid);
  const o = await observe(['--endpoint', app.endpoint]);
  t.teardown(() => void o.child.kill('SIGKILL'));
  await app.stop();
  t.true(await pollUntil(() => o.stderr().includes('could not read the tree'), 10_000), o.stderr());
  t.regex(o.stderr(), /^arbor observe: observer could not read the tree; retrying \(EndpointUnreachableError: no debug endpoint at /);
  t.is(o.stderr().split('\n').length, 2, 'one line');
  t.is(o.child.exitCode, null, 'still running');
  t.is((await fetch(`http://127.0.0.1:${o.url.port}/`)).status, 401, 'still serving');
  o.child.kill('SIGINT');
  t.is((await o.done).code, 0);
});

test.serial('an endpoint that does not answer: one line on stderr, exit 2, no URL', async (t) => {
  const child = spawn(process.execPath, [BIN, 'observe', '--endpoint', '/tmp/arbor-no-such-dir/nope.sock'], { env: { PATH: process.env['PATH'] }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  await new Promise((resolve) => child.once('close', resolve));
  t.is(child.exitCode, 2);
  t.is(stdout, '');
  t.regex(stderr, /^arbor: no debug endpoint at \/tmp\/arbor-no-such-dir\/nope\.sock \(no such socket\)/);
  t.is(stderr.split('\n').length, 2, 'one line');
});

test.serial('usage: --help names observe and its options; observe options on other commands, a bad --port', async (t) => {
  const help = spawn(process.execPath, [BIN, '--help'], { env: { PATH: process.env['PATH'] }, stdio: ['ignore', 'pipe', 'ignore'] });
  started.push(help.pid!);
  let text = '';
  help.stdout!.on('data', (c: Buffer) => (text += c.toString('utf8')));
  await new Promise((resolve) => help.once('close', resolve)); // after the last of its output
  t.is(help.exitCode, 0);
  t.regex(text, /^ {2}observe {11}serve the live observer page/m);
  for (const flag of ['--port <n>', '--allow-control', '--open']) t.true(text.includes(`  ${flag}`), flag);
  for (const [args, re] of [
    [['dump', '--allow-control', '--endpoint', '/tmp/x.sock'], /^arbor: --allow-control is an option of arbor observe, not of dump/],
    [['top', '--port', '1', '--endpoint', '/tmp/x.sock'], /^arbor: --port is an option of arbor observe, not of top/],
    [['observe', '--port', '70000', '--endpoint', '/tmp/x.sock'], /^arbor: --port must be a port number from 0 to 65535/],
    [['observe', '--json', '--endpoint', '/tmp/x.sock'], /^arbor: --json is an option of arbor dump, not of observe/],
    [['observe', '--count', '2', '--endpoint', '/tmp/x.sock'], /^arbor: --count is an option of arbor top, not of observe/],
  ] as const) {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env['PATH'] }, stdio: ['ignore', 'ignore', 'pipe'] });
    started.push(child.pid!);
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    await new Promise((resolve) => child.once('close', resolve));
    t.is(child.exitCode, 2, args.join(' '));
    t.regex(stderr, re);
  }
});

test.serial.after.always('every process this file started is gone', async (t) => {
  t.true(started.length > 0);
  t.true(await pollUntil(() => !started.some(isAlive), 5000), `gone: ${started.filter(isAlive).join(', ')}`);
});
