import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { InvalidOptionError } from '@arbor/core';

/** The default interval of {@link watchRss}. */
export const DEFAULT_RSS_INTERVAL_MS = 1_000;

interface Watch {
  readonly pid: number;
  readonly path: string;
  readonly intervalMs: number;
  readonly onSample: (rssBytes: number) => void;
  next: number;
}

const watches = new Set<Watch>();
const buffer = Buffer.alloc(128);
let pageSize: number | undefined;
let timer: NodeJS.Timeout | undefined;
let tickMs = 0;

function pageBytes(): number {
  if (pageSize === undefined) {
    try {
      pageSize = Number.parseInt(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(), 10);
    } catch {
      pageSize = 4096;
    }
    if (!Number.isSafeInteger(pageSize) || pageSize <= 0) pageSize = 4096;
  }
  return pageSize;
}

/** RSS in bytes from `/proc/PID/statm` (its second field, in pages); undefined when the pid is gone. */
function readRss(path: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  let n = 0;
  try {
    n = readSync(fd, buffer, 0, buffer.length, 0);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
  let i = 0;
  while (i < n && buffer[i] !== 0x20) i++; // skip "size"
  i++;
  let pages = 0;
  let digits = 0;
  for (; i < n; i++) {
    const c = buffer[i]!;
    if (c < 0x30 || c > 0x39) break;
    pages = pages * 10 + (c - 0x30);
    digits++;
  }
  return digits === 0 ? undefined : pages * pageBytes();
}

function tick(): void {
  const now = Date.now();
  for (const watch of watches) {
    if (now < watch.next) continue;
    watch.next = now + watch.intervalMs;
    const rss = readRss(watch.path);
    if (rss === undefined) {
      watches.delete(watch);
      continue;
    }
    try {
      watch.onSample(rss);
    } catch {
      // a sample callback must not stop the other watches
    }
  }
  reschedule();
}

function reschedule(): void {
  if (watches.size === 0) {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    tickMs = 0;
    return;
  }
  let shortest = Infinity;
  for (const watch of watches) shortest = Math.min(shortest, watch.intervalMs);
  if (timer !== undefined && tickMs === shortest) return;
  if (timer !== undefined) clearInterval(timer);
  tickMs = shortest;
  timer = setInterval(tick, shortest);
  timer.unref();
}

/**
 * Samples a process's resident set size every `intervalMs` (one poller timer per Node
 * process, unref'd, started by the first watch and stopped when nothing is watched). Reads
 * `/proc/PID/statm` into one reused buffer (about 2.5 µs per worker). A pid that is gone is
 * no longer watched. Returns the function that stops watching.
 *
 * @example
 * const unwatch = watchRss(child.pid!, 500, (rss) => { if (rss > 512 * 2 ** 20) recycle(); });
 */
export function watchRss(pid: number, intervalMs: number = DEFAULT_RSS_INTERVAL_MS, onSample: (rssBytes: number) => void): () => void {
  if (!Number.isInteger(pid) || pid <= 0) throw new InvalidOptionError('watchRss: pid', 'a positive integer (a child pid)', pid);
  if (typeof intervalMs !== 'number' || !(intervalMs >= 1)) throw new InvalidOptionError('watchRss: intervalMs', 'a number of milliseconds >= 1', intervalMs);
  if (typeof onSample !== 'function') throw new InvalidOptionError('watchRss: onSample', 'a function (rssBytes) => void', onSample);
  pageBytes();
  const watch: Watch = { pid, path: `/proc/${pid}/statm`, intervalMs: Math.round(intervalMs), onSample, next: 0 };
  watches.add(watch);
  reschedule();
  return () => {
    if (watches.delete(watch)) reschedule();
  };
}

/** How many pids are watched now (for tests). @internal */
export function watchedRssCount(): number {
  return watches.size;
}
