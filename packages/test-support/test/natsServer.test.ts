import test from 'ava';
import { createConnection } from 'node:net';
import { existsSync } from 'node:fs';
import { hasNatsServer, isAlive, isStopped, pollUntil, startNatsServer } from '../src/index.js';

/** The server's INFO line, read from its client port over plain TCP. */
function infoLine(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) {
        sock.destroy();
        resolve(buf.slice(0, buf.indexOf('\r\n')));
      }
    });
    sock.on('error', reject);
  });
}

const started: number[] = [];

test.after.always('no nats-server started here is left running', (t) => {
  for (const pid of started) t.false(isAlive(pid), `nats-server ${pid} is gone`);
});

if (!hasNatsServer()) {
  test('nats-server is installed (apt-get install -y nats-server)', (t) => {
    t.fail('nats-server is not on PATH: apt-get install -y nats-server');
  });
} else {
  test('startNatsServer serves on a random 127.0.0.1 port with JetStream, and stop() ends it by pid', async (t) => {
    const server = await startNatsServer();
    started.push(server.pid);
    t.regex(server.url, /^nats:\/\/127\.0\.0\.1:\d+$/);
    const info = await infoLine(server.port);
    t.regex(info, /^INFO /);
    t.true(JSON.parse(info.slice(5)).jetstream === true, 'JetStream is on');
    t.true(isAlive(server.pid));
    await server.stop();
    t.false(isAlive(server.pid));
    t.false(existsSync(server.dir), 'its temp dir is removed');
  });

  test('SIGSTOP freezes the server (isStopped, eventually) and SIGCONT thaws it; a stopped server is still stopped by stop()', async (t) => {
    const server = await startNatsServer({ jetstream: false });
    started.push(server.pid);
    t.false(isStopped(server.pid), 'a running server is not stopped');
    server.signal('SIGSTOP');
    t.true(await pollUntil(() => isStopped(server.pid), 5000), 'stopped after SIGSTOP');
    t.true(isAlive(server.pid), 'a stopped process is alive');
    server.signal('SIGCONT');
    t.true(await pollUntil(() => !isStopped(server.pid), 5000), 'running again after SIGCONT');
    t.regex(await infoLine(server.port), /^INFO /);
    server.signal('SIGSTOP');
    t.true(await pollUntil(() => isStopped(server.pid), 5000));
    await server.stop();
    t.false(isAlive(server.pid));
    t.false(isStopped(server.pid), 'no process is not stopped');
  });

  test('two servers get different ports; a SIGKILLed one is still cleaned by stop()', async (t) => {
    const [a, b] = await Promise.all([startNatsServer({ jetstream: false }), startNatsServer({ jetstream: false })]);
    started.push(a.pid, b.pid);
    t.not(a.port, b.port);
    a.signal('SIGKILL');
    await Promise.all([a.stop(), b.stop()]);
    t.false(isAlive(a.pid));
    t.false(isAlive(b.pid));
  });
}
