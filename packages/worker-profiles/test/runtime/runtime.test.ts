import test from 'ava';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeMessage, MessageDecoder, type ChildFrame, type ParentFrame } from '../../src/index.js';
import { eventually } from '../support/connHarness.js';

// The Node worker runtime over the two process transports, spoken to by hand (no profile),
// so the process profiles can rely on it: READY, req/res/err, one reply per batch, exit at
// disconnect / stdin EOF, console output kept off the stdio frames.

const fixture = fileURLToPath(new URL('../fixtures/nodeWorker.js', import.meta.url));
const started: number[] = [];

/** Gone: no /proc entry (reaped), or at most a zombie on its way out. */
function gone(pid: number): boolean {
  if (!existsSync(`/proc/${pid}`)) return true;
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').startsWith('Z');
  } catch {
    return true;
  }
}

test.after.always(async () => {
  const ok = await eventually(() => started.every(gone), 10_000);
  const left = started.filter((pid) => !gone(pid));
  for (const pid of left) process.kill(pid, 'SIGKILL');
  if (!ok) throw new Error(`children outlived the test file: ${left.join(', ')}`);
});

interface Child {
  readonly child: ChildProcess;
  /** Each wire message the child sent, as received (a frame or an array). */
  readonly messages: (ChildFrame | ChildFrame[])[];
  readonly frames: ChildFrame[];
  send(message: ParentFrame | ParentFrame[]): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function track(child: ChildProcess, send: (m: ParentFrame | ParentFrame[]) => void, messages: Child['messages']): Child {
  started.push(child.pid!);
  const frames: ChildFrame[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    messages,
    frames,
    send,
    exited,
  };
}

function forkIpc(serialization: 'json' | 'advanced'): Child {
  const child = fork(fixture, [], { env: { ...process.env, ARBOR_WORKER_TRANSPORT: 'ipc' }, serialization, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const messages: Child['messages'] = [];
  const c = track(child, (m) => child.send(m), messages);
  child.on('message', (m: ChildFrame | ChildFrame[]) => {
    messages.push(m);
    c.frames.push(...(Array.isArray(m) ? m : [m]));
  });
  return c;
}

function spawnStdio(): Child & { stderr: () => string } {
  const child = spawn(process.execPath, [fixture], { env: { ...process.env, ARBOR_WORKER_TRANSPORT: 'stdio' }, stdio: ['pipe', 'pipe', 'pipe'] });
  const messages: Child['messages'] = [];
  const c = track(child, (m) => child.stdin!.write(encodeMessage(m)), messages);
  const decoder = new MessageDecoder();
  child.stdout!.on('data', (chunk: Buffer) => {
    for (const m of decoder.push(chunk) as (ChildFrame | ChildFrame[])[]) {
      messages.push(m);
      c.frames.push(...(Array.isArray(m) ? m : [m]));
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { ...c, stderr: () => stderr };
}

const reply = (c: Child, id: number) => c.frames.find((f) => (f.t === 'res' || f.t === 'err') && f.id === id);
async function replied(c: Child, id: number) {
  if (!(await eventually(() => reply(c, id) !== undefined))) throw new Error(`no reply for ${id}`);
  return reply(c, id)!;
}

async function exercise(t: import('ava').ExecutionContext, c: Child, transport: string) {
  t.true(await eventually(() => c.frames.length > 0));
  t.like(c.messages[0], { t: 'ready', pid: c.child.pid, meta: { transport } }, 'READY comes first, alone');
  t.true((c.messages[0] as unknown as { methods: string[] }).methods.includes('add'));
  c.send({ t: 'req', id: 1, m: 'add', a: 1 });
  t.like(await replied(c, 1), { t: 'res', v: 2 });
  c.send({ t: 'req', id: 2, m: 'fail', a: 'no' });
  t.like(await replied(c, 2), { t: 'err', e: { name: 'TypeError', message: 'no', code: 'E_FIXTURE' } });
  c.send({ t: 'req', id: 3, m: 'nope', a: 1 });
  t.like(await replied(c, 3), { t: 'err', e: { code: 'unknown_method' } });
  c.send({ t: 'req', id: 4, m: 'waitForAbort', a: null });
  c.send({ t: 'cancel', id: 4 });
  t.like(await replied(c, 4), { t: 'err', e: { name: 'AbortError', code: 'cancelled' } });
  c.send({ t: 'ping', id: 5 });
  t.true(await eventually(() => c.frames.some((f) => f.t === 'pong' && f.id === 5)));
  t.true(c.frames.some((f) => f.t === 'stats' && typeof f.h === 'number'), 'Node runtimes push stats with their replies');
  // one batch of 100 requests read → one reply message holding the 100 replies
  const before = c.messages.length;
  c.send(Array.from({ length: 100 }, (_, i) => ({ t: 'req' as const, id: 100 + i, m: 'add', a: i })));
  await replied(c, 199);
  const batch = c.messages.slice(before);
  t.is(batch.length, 1, 'the worker answers once per batch it read');
  t.deepEqual((batch[0] as ChildFrame[]).filter((f) => f.t === 'res').map((f) => (f as { v: number }).v), Array.from({ length: 100 }, (_, i) => i + 1));
}

for (const serialization of ['json', 'advanced'] as const) {
  test(`over Node IPC (${serialization}): READY, req/res/err, cancel, ping, one reply per batch, exit 0 at disconnect`, async (t) => {
    const c = forkIpc(serialization);
    await exercise(t, c, 'ipc');
    c.send({ t: 'req', id: 6, m: 'waitForAbort', a: null }); // in flight: the disconnect still ends the worker
    c.child.disconnect();
    t.deepEqual(await c.exited, { code: 0, signal: null });
    t.true(await eventually(() => gone(c.child.pid!)));
  });
}

test('over stdio u32 frames: READY, req/res/err, cancel, one reply per batch, console output on stderr, exit 0 at stdin EOF', async (t) => {
  const c = spawnStdio();
  await exercise(t, c, 'stdio');
  c.send({ t: 'req', id: 7, m: 'log', a: 'hello from the handler' });
  t.like(await replied(c, 7), { v: 'logged' }, 'stdout stayed framed');
  t.true(await eventually(() => (c.stderr().match(/hello from the handler/g) ?? []).length === 2), 'console.log and stdout.write went to stderr');
  c.child.stdin!.end();
  t.deepEqual(await c.exited, { code: 0, signal: null });
  t.true(await eventually(() => gone(c.child.pid!)));
});

test('a handler that crashes the process ends it with a non-zero code; a module run without a transport fails loudly', async (t) => {
  const c = forkIpc('json');
  t.true(await eventually(() => c.frames.length > 0));
  c.send({ t: 'req', id: 1, m: 'crashSoon', a: null });
  t.not((await c.exited).code, 0);

  const bare = spawn(process.execPath, [fixture], { env: { ...process.env, ARBOR_WORKER_TRANSPORT: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
  started.push(bare.pid!);
  let stderr = '';
  bare.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => bare.once('exit', resolve));
  t.not(code, 0);
  t.regex(stderr, /no Arbor transport here.*threadProfile, nodeProcessProfile or stdioProfile/);
});
