import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { DEMO_MARKER, markedPids, until } from '../../src/demo/ServiceProcess.js';

const DEMO = fileURLToPath(new URL('../../src/demo.js', import.meta.url));

test('demo --serve prints the endpoint, the observer URL and the commands to try, and Ctrl-C stops the service cleanly', async (t) => {
  const token = randomUUID();
  const demo = spawn(process.execPath, [DEMO, '--serve'], { env: { ...process.env, [DEMO_MARKER]: token }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  demo.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const exited = once(demo, 'exit') as Promise<[number | null, string | null]>;
  t.true(await until(() => stdout.includes('Ctrl-C stops it'), 20_000), stdout);
  const endpoint = /npx arbor dump --endpoint (\S+)/.exec(stdout)?.[1];
  t.regex(endpoint ?? '', /arbor-docservice-\d+\.sock$/);
  t.regex(stdout, /npx arbor top --endpoint \S+/);
  const port = Number(/http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1]);
  const health = await fetch(`http://127.0.0.1:${port}/health`);
  t.is(health.status, 200);
  t.regex(stdout, /npx arbor observe --endpoint \S+ --allow-control/);
  const observer = /observer \(open it in a browser on this machine\): (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(stdout)?.[1];
  t.truthy(observer, stdout);
  const page = await fetch(observer!, { redirect: 'manual' });
  t.true(page.status === 200 || page.status === 302 || page.status === 303, `the observer answers its URL: ${page.status}`);
  const withoutToken = await fetch(new URL('/', observer!).href);
  t.is(withoutToken.status, 401, 'and refuses a request without its token');
  demo.kill('SIGINT'); // what a terminal's Ctrl-C sends the demo (the service runs in its own process group)
  const [code] = await exited;
  t.is(code, 0);
  t.regex(stdout, /docservice stopped \(exit code 0\)/);
  t.true(await until(() => markedPids(token).length === 0, 5_000), `left running: ${markedPids(token).join(', ')}`);
});
