import test from 'ava';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { TcpProxy } from '../src/index.js';

/** An echo server on 127.0.0.1 that records the remote port of every connection. */
async function echoServer(): Promise<{ server: Server; port: number; remotePorts: number[]; close(): Promise<void> }> {
  const remotePorts: number[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    remotePorts.push(s.remotePort!);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    remotePorts,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** Connects to `port`, writes `text`, and says what came back before the socket closed or `text` was echoed. */
function exchange(port: number, text: string): Promise<{ echoed: string; closed: boolean; error?: string }> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    let echoed = '';
    let error: string | undefined;
    sock.on('data', (d) => {
      echoed += d.toString();
      if (echoed === text) {
        sock.destroy();
        resolve({ echoed, closed: false });
      }
    });
    sock.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    sock.on('close', () => resolve({ echoed, closed: true, ...(error === undefined ? {} : { error }) }));
    sock.write(text);
  });
}

/** An open connection through the proxy, echoed once, left open. */
function openConnection(port: number): Promise<{ sock: Socket; closed: Promise<void> }> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    sock.on('error', () => {});
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    sock.once('data', () => resolve({ sock, closed }));
    sock.write('x');
  });
}

test('forwards both ways; upstreamPorts are the ports the target sees', async (t) => {
  const echo = await echoServer();
  const proxy = await TcpProxy.start(echo.port);
  try {
    t.not(proxy.port, echo.port);
    t.is(proxy.target, echo.port);
    const open = await openConnection(proxy.port);
    t.is(proxy.connections, 1);
    t.deepEqual(proxy.upstreamPorts(), echo.remotePorts, 'the echo server saw the proxy\'s upstream socket');
    t.deepEqual(await exchange(proxy.port, 'hello'), { echoed: 'hello', closed: false });
    open.sock.destroy();
  } finally {
    await proxy.close();
    await echo.close();
  }
});

test('cut() resets the connections through it and refuses new ones; heal() lets new ones through', async (t) => {
  const echo = await echoServer();
  const proxy = await TcpProxy.start(echo.port);
  try {
    const open = await openConnection(proxy.port);
    proxy.cut();
    t.true(proxy.isCut);
    await open.closed;
    t.pass('the open connection was closed by the cut');
    t.is(proxy.connections, 0);
    const refused = await exchange(proxy.port, 'hello');
    t.is(refused.echoed, '', 'nothing passes while cut');
    t.true(refused.closed);
    proxy.heal();
    t.false(proxy.isCut);
    t.deepEqual(await exchange(proxy.port, 'again'), { echoed: 'again', closed: false });
  } finally {
    await proxy.close();
    await echo.close();
  }
});

test('without a target it refuses; setTarget() routes new connections; close() stops listening', async (t) => {
  const echo = await echoServer();
  const proxy = await TcpProxy.start();
  const refused = await exchange(proxy.port, 'hello');
  t.like(refused, { echoed: '', closed: true });
  proxy.setTarget(echo.port);
  t.deepEqual(await exchange(proxy.port, 'hello'), { echoed: 'hello', closed: false });
  const port = proxy.port;
  await proxy.close();
  const after = await exchange(port, 'hello');
  t.like(after, { echoed: '', closed: true, error: 'ECONNREFUSED' });
  await echo.close();
});
