import test from 'ava';
import { createConnection } from 'node:net';
import { existsSync } from 'node:fs';
import { hasNatsServer, isAlive, startNatsServer } from '../src/index.js';

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
