import test from 'ava';
import { readFileSync } from 'node:fs';
import { parseStat, procSupported, readProcessStat } from '../../src/proc/procfs.js';

const line = (comm: string, tail = '4242 0 -1 4194560 1 0 0 0 0 0 0 0 -100 -20 1 0 123456789 1000 200') => Buffer.from(`4242 (${comm}) S 17 4242 ${tail}\n`, 'latin1');

test('parseStat reads state, ppid, pgid and field 22 after the last parenthesis', (t) => {
  for (const comm of ['sleep', 'a b) c (d', ') S 1 2 3', '']) {
    const b = line(comm);
    t.deepEqual(parseStat(4242, b, b.length), { pid: 4242, state: 'S', ppid: 17, pgid: 4242, startTime: 123456789 }, comm);
  }
});

test('parseStat rejects truncated or malformed lines', (t) => {
  const b = line('x');
  t.is(parseStat(1, b, b.indexOf('123456789')), undefined);
  t.is(parseStat(1, b, 0), undefined);
  const bad = line('x', '4242 0 -1 4194560 1 0 0 0 0 0 0 0 -100 -20 1 0 12z456 1000 200');
  t.is(parseStat(1, bad, bad.length), undefined);
  const noClose = Buffer.from('4242 x S 17 4242\n');
  t.is(parseStat(1, noClose, noClose.length), undefined);
});

// Linux only: other systems have no /proc (the registry documents what it does there).
(procSupported ? test : test.skip)('readProcessStat agrees with a string split of /proc/self/stat', (t) => {
  const text = readFileSync(`/proc/${process.pid}/stat`, 'latin1');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const s = readProcessStat(process.pid)!;
  t.is(s.state, f[0]!);
  t.is(s.ppid, Number(f[1]));
  t.is(s.pgid, Number(f[2]));
  t.is(s.startTime, Number(f[19]));
});
