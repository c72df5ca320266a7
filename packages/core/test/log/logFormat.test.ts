/**
 * The default logger's two forms, checked in real child processes: readable lines when
 * stderr is a terminal (a real pty) or `format: 'pretty'`, JSON lines in a pipe.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, InvalidOptionError, prettyFormat } from '../../src/index.js';

const core = new URL('../../src/index.js', import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), 'arbor-log-format-'));
const pids: number[] = [];

/** A script that crashes one named actor and stops, logging with `format` (or the default). */
function crashScript(format: string | undefined): string {
  const path = join(dir, `crash-${format ?? 'default'}.mjs`);
  writeFileSync(path, `
import { cast, createLogger, createSystem, GenServer } from ${JSON.stringify(core)};
class Counter extends GenServer {
  handleCast() { throw new Error('boom'); }
}
const system = createSystem({ logger: createLogger('info'${format === undefined ? '' : `, { format: ${JSON.stringify(format)} }`}) });
const ref = await system.spawn(Counter, 0, { name: 'counter' });
cast(ref, { type: 'crash' });
await new Promise((r) => setTimeout(r, 50));
await system.shutdown();
`);
  return path;
}

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8', env: { ...process.env, ARBOR_LOG_LEVEL: '', ARBOR_LOG_FORMAT: '', ...env }, timeout: 30_000 });
  if (r.pid !== undefined) pids.push(r.pid);
  return r;
}

const CRASH_LINE = /^\d\d:\d\d:\d\d\.\d{3} error actor crashed: counter \(Counter#[\w-]+\) reason="Error: boom" lastMessage=cast:crash$/;

test.after.always(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const pid of pids) t_assertGone(pid);
});

function t_assertGone(pid: number): void {
  try {
    process.kill(pid, 0);
  } catch {
    return;
  }
  throw new Error(`process ${pid} is still running`);
}

test('in a pipe the default is JSON lines with every report key', (t) => {
  const r = run([process.execPath, crashScript(undefined)]);
  t.is(r.status, 0, r.stderr);
  const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const crash = lines.find((l) => l['report'] === 'crash_report');
  t.like(crash, { level: 'error', message: 'actor crashed', name: 'counter', behaviour: 'Counter', reason: 'Error: boom' });
  t.regex(String(crash!['stack']), /boom/);
});

test("format: 'pretty' writes one readable line per report, then the first three stack frames", (t) => {
  const r = run([process.execPath, crashScript('pretty')]);
  t.is(r.status, 0, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  const at = lines.findIndex((l) => CRASH_LINE.test(l));
  t.true(at >= 0, r.stderr);
  const frames = lines.slice(at + 1).filter((l) => /^ {4}at /.test(l));
  t.true(frames.length >= 1 && frames.length <= 3, r.stderr);
  t.regex(frames[0]!, /handleCast/);
  t.false(r.stderr.includes('{"'), 'no JSON in the pretty form');
});

test('in a terminal (a real pty) the default is the readable form', (t) => {
  // python3's pty module gives the child a real terminal as stdin/stdout/stderr.
  const r = run(['python3', '-c', 'import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)', process.execPath, crashScript(undefined)]);
  t.is(r.status, 0, r.stdout + r.stderr);
  const lines = r.stdout.replace(/\r/g, '').split('\n');
  t.true(lines.some((l) => CRASH_LINE.test(l)), r.stdout);
});

test('ARBOR_LOG_FORMAT=json gives JSON even where the default would be readable', (t) => {
  const r = run(['python3', '-c', 'import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)', process.execPath, crashScript(undefined)], { ARBOR_LOG_FORMAT: 'json' });
  t.is(r.status, 0, r.stdout);
  t.regex(r.stdout, /"report":"crash_report"/);
});

test('a wrong level or format is an InvalidOptionError that lists the accepted values', (t) => {
  t.throws(() => createLogger('loud' as never), { instanceOf: InvalidOptionError, message: /createLogger: level must be one of 'silent', 'error', 'warn', 'info', 'debug', got: "loud"/ });
  t.throws(() => createLogger('info', { format: 'xml' as never }), { instanceOf: InvalidOptionError, message: /createLogger: options.format must be one of 'auto', 'pretty', 'json'/ });
  t.throws(() => createLogger('info', 5 as never), { instanceOf: InvalidOptionError });
});

test('the readable form quotes control characters, so a name or reason cannot forge a line or reach the terminal raw', (t) => {
  const render = (info: Record<string, unknown>): string =>
    (prettyFormat().transform({ level: 'error', message: 'actor crashed', ...info }) as Record<symbol, string>)[Symbol.for('message')]!;
  const line = render({ name: 'evil\n12:00:00.000 info forged', behaviour: 'Counter', actor: 'id1', reason: 'Error: \u001b[2Jboom' });
  t.false(line.includes('\n'), line);
  t.false(line.includes('\u001b'), line);
  t.regex(line, /actor crashed: "evil\\n12:00:00.000 info forged" \(Counter#id1\) reason="Error: \\u001b\[2Jboom"/);
  t.regex(render({ message: 'bell\u0007' }), / error "bell\\u0007"$/);
});
