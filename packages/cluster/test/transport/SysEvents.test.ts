import test from 'ava';
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { hasNatsServer, isAlive, startNatsServer, type NatsServer } from '@arbor/test-support';
import { watchDisconnects, type DisconnectInfo, type DisconnectWatcher } from '../../src/index.js';

const nats = hasNatsServer() ? test : test.skip;
const accounts = `accounts {
  SYS { users: [{ user: sys, password: sys }] }
  APP { users: [{ user: app, password: app }] }
}
system_account: SYS`;
const victimScript = fileURLToPath(new URL('../fixtures/victim.js', import.meta.url));
const pids: number[] = [];
let server: NatsServer | undefined;
let child: ChildProcess | undefined;
let watcher: DisconnectWatcher | undefined;

test.after.always('the server and the victim process are gone', async (t) => {
  await watcher?.close();
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  await server?.stop();
  for (const pid of pids) t.false(isAlive(pid), `pid ${pid} is gone`);
});

nats("watchDisconnects reports a SIGKILLed client by its name ('victim')", async (t) => {
  server = await startNatsServer({ jetstream: false, extraConfig: accounts });
  pids.push(server.pid);
  const events: Array<{ name: string; info: DisconnectInfo; at: number }> = [];
  let resolveVictim: (() => void) | undefined;
  const victimSeen = new Promise<void>((r) => (resolveVictim = r));
  watcher = await watchDisconnects({ servers: server.url, user: 'sys', pass: 'sys' }, (name, info) => {
    events.push({ name, info, at: performance.now() });
    if (name === 'victim') resolveVictim?.();
  });
  child = fork(victimScript, [server.url, 'victim'], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  pids.push(child.pid!);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    child!.once('exit', (code) => reject(new Error(`victim exited (${code}) before it was ready: ${out}`)));
  });
  // Listen for the exit before the kill: it may come while the test waits for the event.
  const exited = once(child, 'exit');
  const killedAt = performance.now();
  child.kill('SIGKILL');
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([victimSeen, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no $SYS DISCONNECT for the victim within 10 s; events: ${events.map((e) => e.name).join(', ')}`)), 10_000)))]);
  clearTimeout(timer);
  const victim = events.find((e) => e.name === 'victim')!;
  t.log(`kill -9 to $SYS DISCONNECT callback: ${(victim.at - killedAt).toFixed(1)} ms (reason: ${victim.info.reason})`);
  t.is(victim.info.account, 'APP');
  t.is(typeof victim.info.reason, 'string');
  await exited;
});
