/**
 * `arbor top` as a pipe: the real `arbor` bin against a real application in a child
 * process. Plain blocks (no escape codes), a messages/s figure for the busy actor, `--count`,
 * the end of the endpoint, SIGTERM, a closed stdout, and the usage errors. Every process
 * started here is gone at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import test from 'ava';
import { isAlive } from '@arbor/test-support';
import { BIN, startTopApp } from '../fixtures/startTopApp.js';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Every pid this file started, checked at the end. */
const started: number[] = [];

function arbor(args: readonly string[]): { child: ChildProcess; done: Promise<Run>; stdout: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env['PATH'] }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done, stdout: () => stdout };
}

/** Resolves once `cond()` holds, checking on each chunk `child` writes; rejects if it exits first. */
function untilOutput(child: ChildProcess, cond: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (cond()) {
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('close', () => (cond() ? resolve() : reject(new Error('arbor exited first'))));
    check();
  });
}

// eslint-disable-next-line no-control-regex
const ESCAPE = /[\u001b\u009b]/;

test.serial('--count 2 --interval 200: two plain blocks naming the actors, the busy one with messages/s > 0, exit 0', async (t) => {
  const app = await startTopApp(t);
  started.push(app.pid);
  const r = await arbor(['top', '--endpoint', app.endpoint, '--count', '2', '--interval', '200']).done;
  t.is(r.stderr, '');
  t.is(r.code, 0);
  t.false(ESCAPE.test(r.stdout), 'no escape codes in a pipe');
  const blocks = r.stdout.trimEnd().split('\n\narbor top: ');
  t.is(blocks.length, 2);
  t.regex(blocks[0]!, /^arbor top: system "topshop", pid \d+, 4 actors, sample 1 \(first sample\)\nmemory: rss [\d.]+ MiB, heap [\d.]+ MiB; taken /);
  t.regex(blocks[1]!, /^system "topshop", pid \d+, 4 actors, sample 2 \(\d+ ms since the last\)/);
  for (const name of ['shop: Supervisor', 'ticker: Ticker', 'ledger: Ledger', 'DebugEndpoint']) t.true(blocks[1]!.includes(name), name);
  const rate = /^ {4}ticker: Ticker #\S+ \w+, mailbox \d+, ([\d.]+)\/s$/m.exec(blocks[1]!);
  t.truthy(rate, blocks[1]);
  t.true(Number(rate![1]) > 0, `ticker handles messages: ${rate![1]}/s`);
  const ledger = /^ {4}ledger: Ledger #\S+ \w+, mailbox \d+, ([\d.]+)\/s$/m.exec(blocks[1]!);
  t.is(Number(ledger![1]), 0, 'the idle actor handles none');
  t.regex(blocks[1]!, /top by messages\/s\n +\d+(\.\d)? +\d+ {2}ticker: Ticker/, 'the busy actor tops the messages/s list');
});

test.serial('without --count: runs until the endpoint goes away, then exit 0 with a line on stderr', async (t) => {
  const app = await startTopApp(t);
  started.push(app.pid);
  const run = arbor(['top', '--endpoint', app.endpoint, '--interval', '200']);
  await untilOutput(run.child, () => run.stdout().includes('sample 2 ('));
  await app.stop();
  const r = await run.done;
  t.is(r.code, 0);
  t.regex(r.stderr, /^arbor: .*top\.sock went away after \d+ samples: no debug endpoint at .*\n$/);
  t.false(ESCAPE.test(r.stdout));
});

test.serial('SIGTERM ends it with exit 0; so does a reader that closes the pipe', async (t) => {
  const app = await startTopApp(t);
  started.push(app.pid);
  const term = arbor(['top', '--endpoint', app.endpoint, '--interval', '200']);
  await untilOutput(term.child, () => term.stdout().includes('sample 1 ('));
  term.child.kill('SIGTERM');
  const r = await term.done;
  t.is(r.code, 0);
  t.is(r.stderr, '');
  const closed = arbor(['top', '--endpoint', app.endpoint, '--interval', '200']);
  await untilOutput(closed.child, () => closed.stdout().includes('sample 1 ('));
  closed.child.stdout!.destroy();
  const c = await closed.done;
  t.is(c.code, 0);
  t.is(c.stderr, '');
});

test.serial('usage errors and an endpoint that is not there: exit 2 and one line', async (t) => {
  const cases: [string[], RegExp][] = [
    [['top', '--endpoint', '/tmp/x.sock', '--interval', '100'], /^arbor: --interval must be a whole number of milliseconds >= 200, got "100"; run `arbor --help`/],
    [['top', '--endpoint', '/tmp/x.sock', '--count', '0'], /^arbor: --count must be a whole number >= 1, got "0"/],
    [['top', '--endpoint', '/tmp/x.sock', '--limit', 'many'], /^arbor: --limit must be a whole number >= 1, got "many"/],
    [['top', '--json', '--endpoint', '/tmp/x.sock'], /^arbor: --json is an option of arbor dump, not of top/],
    [['dump', '--count', '2', '--endpoint', '/tmp/x.sock'], /^arbor: --count is an option of arbor top, not of dump/],
    [['top', 'extra'], /^arbor: top takes no arguments, got "extra"/],
    [['top', '--endpoint', '/tmp/arbor-top-no-such.sock'], /^arbor: no debug endpoint at \/tmp\/arbor-top-no-such\.sock \(no such socket\)/],
  ];
  const help = await arbor(['--help']).done;
  t.regex(help.stdout, /^ {2}top {15}a live view of it/m);
  t.regex(help.stdout, /^ {2}--interval <ms> {3}time between samples \(default 1000, at least 200\)$/m);
  for (const [args, message] of cases) {
    const r = await arbor(args).done;
    t.is(r.code, 2, args.join(' '));
    t.is(r.stdout, '');
    t.is(r.stderr.split('\n').filter((l) => l !== '').length, 1, r.stderr);
    t.regex(r.stderr, message);
  }
});

test.serial.after.always('every process this file started is gone', async (t) => {
  t.true(started.length > 0);
  for (const pid of started) t.false(isAlive(pid), `pid ${pid} is gone`);
});
