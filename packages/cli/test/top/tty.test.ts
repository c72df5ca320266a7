/**
 * `arbor top` under a pseudo-terminal: tmux with a server of its own runs the real `arbor`
 * bin against a real application in a child process. The screen shows the tree on the
 * alternate screen, fits a resized window, says when the endpoint is gone and keeps
 * going, and `q`, Ctrl-C or SIGTERM quits with the terminal restored. Every process is gone at the end.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import { isAlive } from '@arbor/test-support';
import { BIN, startTopApp } from '../fixtures/startTopApp.js';

const run = promisify(execFile);

/** A tmux server of its own (`-L arbor-test-<random>`), killed in the teardown. */
function tmuxServer(t: ExecutionContext): (...args: string[]) => Promise<string> {
  const socket = `arbor-test-${randomBytes(6).toString('hex')}`;
  const tmux = async (...args: string[]): Promise<string> => (await run('tmux', ['-L', socket, '-f', '/dev/null', ...args])).stdout;
  // tmux leaves its socket file behind when the server exits: remove it too.
  const path = join(process.env['TMUX_TMPDIR'] ?? '/tmp', `tmux-${process.getuid!()}`, socket);
  t.teardown(async () => {
    await tmux('kill-server').catch(() => undefined); // already gone: the last session ended
    rmSync(path, { force: true });
  });
  return tmux;
}

/** Polls `check` (bounded: up to `tries` times, 50 ms apart) until it returns a value. */
async function until<T>(what: string, check: () => Promise<T | undefined>, tries = 400): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** The pids of a process's children (from /proc). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Starts `arbor top` in a detached 120x40 session; the shell prints `arbor-exit=<code>` when
 * it ends and waits for a line, so the test can look at the restored terminal.
 */
async function startTop(t: ExecutionContext, endpoint: string) {
  const tmux = tmuxServer(t);
  await tmux('new-session', '-d', '-x', '120', '-y', '40', `'${process.execPath}' '${BIN}' top --endpoint '${endpoint}' --interval 200; echo arbor-exit=$?; read line`);
  const screen = (): Promise<string> => tmux('capture-pane', '-p');
  const show = async (format: string): Promise<string> => (await tmux('display-message', '-p', format)).trim();
  const serverPid = Number(await show('#{pid}'));
  const shellPid = Number(await show('#{pane_pid}'));
  const arborPid = await until('the arbor process', async () => childrenOf(shellPid)[0]);
  return { tmux, screen, show, serverPid, shellPid, arborPid };
}

/** The session ends (the shell is sent a line), and the server, the shell and arbor are gone. */
async function endSession(t: ExecutionContext, top: Awaited<ReturnType<typeof startTop>>): Promise<void> {
  await top.tmux('send-keys', 'Enter');
  await until('the session to end', () => top.tmux('has-session').then(() => undefined, () => true));
  await until('the tmux server to exit', async () => (isAlive(top.serverPid) ? undefined : true));
  for (const pid of [top.arborPid, top.shellPid, top.serverPid]) t.false(isAlive(pid), `pid ${pid} is gone`);
}

test.serial('the live screen shows the tree in place; the endpoint going away is shown and retried; q quits and restores the terminal', async (t) => {
  const app = await startTopApp(t);
  const top = await startTop(t, app.endpoint);
  const first = await until('the tree', async () => {
    const s = await top.screen();
    return /^ {4}ticker: Ticker #\S+ \w+, mailbox \d+, [\d.]+\/s/m.test(s) ? s : undefined;
  });
  const lines = first.split('\n');
  t.regex(lines[0]!, /^arbor top: system "topshop", pid \d+, 4 actors, sample \d+ /, 'the header is on the first row: drawn in place, not scrolled');
  t.regex(lines[1]!, /; q quits$/);
  t.true(lines.includes('tree'));
  t.is(await top.show('#{alternate_on} #{cursor_flag}'), '1 0', 'the alternate screen, the cursor hidden');
  // Later samples redraw the same rows.
  await until('a later sample', async () => ((await top.screen()).split('\n')[0]!.match(/sample (\d+)/)?.[1] !== /sample (\d+)/.exec(lines[0]!)![1] ? true : undefined));
  t.regex((await top.screen()).split('\n')[0]!, /^arbor top: system "topshop"/);

  await app.stop();
  const gone = await until('the endpoint-gone line', async () => {
    const s = await top.screen();
    return /^!! the endpoint .*top\.sock is gone \(no debug endpoint at /m.test(s) ? s : undefined;
  });
  t.regex(gone, /^arbor top: system "topshop"/, 'the last screen stays under the notice');
  t.true(isAlive(top.arborPid), 'it keeps retrying');

  await top.tmux('send-keys', 'q');
  const after = await until('arbor to exit', async () => {
    const s = await top.screen();
    return s.includes('arbor-exit=') ? s : undefined;
  });
  t.regex(after, /^arbor-exit=0$/m);
  t.false(after.includes('top by mailbox'), 'the normal screen is back, without the live view');
  t.is(await top.show('#{alternate_on} #{cursor_flag}'), '0 1', 'the normal screen, the cursor shown');
  t.false(isAlive(top.arborPid));
  t.false(isAlive(app.pid), 'the application is gone');
  await endSession(t, top);
});

test.serial('a resized window is redrawn to fit; Ctrl-C quits and restores the terminal', async (t) => {
  const app = await startTopApp(t);
  const top = await startTop(t, app.endpoint);
  await until('the tree', async () => ((await top.screen()).includes('ticker: Ticker') ? true : undefined));
  await top.tmux('resize-window', '-x', '50', '-y', '16');
  const small = await until('a screen that fits 50 columns', async () => {
    const s = await top.screen();
    return s.split('\n')[0]!.endsWith('…') ? s : undefined;
  });
  const rows = small.replace(/\n$/, '').split('\n');
  t.true(rows.length <= 16);
  for (const r of rows) t.true([...r].length <= 50, r);
  t.is(rows[0]!.length, 50, 'the header is cut at the width, not wrapped');
  t.regex(rows[1]!, /^memory: /, 'the second row is the second line: nothing wrapped');

  await top.tmux('send-keys', 'C-c');
  const after = await until('arbor to exit', async () => {
    const s = await top.screen();
    return s.includes('arbor-exit=') ? s : undefined;
  });
  t.regex(after, /^arbor-exit=0$/m);
  t.is(await top.show('#{alternate_on} #{cursor_flag}'), '0 1');
  await app.stop();
  t.false(isAlive(app.pid), 'the application is gone');
  await endSession(t, top);
});

test.serial('SIGTERM quits too, and restores the terminal', async (t) => {
  const app = await startTopApp(t);
  const top = await startTop(t, app.endpoint);
  await until('the tree', async () => ((await top.screen()).includes('ticker: Ticker') ? true : undefined));
  process.kill(top.arborPid, 'SIGTERM');
  const after = await until('arbor to exit', async () => {
    const s = await top.screen();
    return s.includes('arbor-exit=') ? s : undefined;
  });
  t.regex(after, /^arbor-exit=0$/m);
  t.is(await top.show('#{alternate_on} #{cursor_flag}'), '0 1');
  await app.stop();
  t.false(isAlive(app.pid), 'the application is gone');
  await endSession(t, top);
});
