import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { InvalidOptionError } from '@arbor/core';
import { watchRss } from '../../src/index.js';
import { watchedRssCount } from '../../src/memory/RssPoller.js';
import { cleanUpFile, eventually, track } from '../support/helpers.js';

test.after.always(cleanUpFile);

test('samples a child\'s RSS from /proc/PID/statm, stops watching a gone pid, and unwatch stops samples', async (t) => {
  const child = spawn(process.execPath, ['-e', 'const keep = Buffer.alloc(64 * 2 ** 20, 1); setInterval(() => keep[0]++, 1000)'], { stdio: 'ignore' });
  const pid = track(child.pid);
  await once(child, 'spawn');
  const samples: number[] = [];
  const own: number[] = [];
  watchRss(pid, 10, (rss) => samples.push(rss));
  const unwatchOwn = watchRss(process.pid, 10, (rss) => own.push(rss));
  t.true(await eventually(() => samples.length >= 3 && samples[samples.length - 1]! > 64 * 2 ** 20), 'the child\'s 64 MiB buffer shows in its RSS');
  const statmPages = Number(readFileSync(`/proc/${process.pid}/statm`, 'utf8').split(' ')[1]);
  t.true(await eventually(() => own.length > 0));
  t.true(Math.abs(own[own.length - 1]! - statmPages * 4096) < 64 * 2 ** 20, 'pages are converted to bytes');
  unwatchOwn();
  const ownCount = own.length;
  t.is(watchedRssCount(), 1);
  child.kill('SIGKILL');
  await once(child, 'exit');
  t.true(await eventually(() => watchedRssCount() === 0), 'a gone pid is no longer watched');
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.is(own.length, ownCount, 'no sample after unwatch');
});

test('bad arguments throw InvalidOptionError naming the field', (t) => {
  t.throws(() => watchRss(0, 10, () => undefined), { instanceOf: InvalidOptionError, message: /watchRss: pid/ });
  t.throws(() => watchRss(1, 0, () => undefined), { instanceOf: InvalidOptionError, message: /watchRss: intervalMs/ });
  t.throws(() => watchRss(1, 10, undefined as never), { instanceOf: InvalidOptionError, message: /watchRss: onSample/ });
});
