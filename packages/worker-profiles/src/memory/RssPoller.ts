import { readFileSync } from 'node:fs';

const PAGE_BYTES = 4096;

/**
 * Polls a process's resident set size from `/proc/<pid>/statm` every `intervalMs` and
 * calls `onSample(rssBytes)`; returns the function that stops it. A process that is gone
 * stops the polling. (Stub for the worker actor; helper B's version replaces it.)
 *
 * @example
 * const stop = watchRss(child.pid, 1000, (rss) => { if (rss > limit) recycle(); });
 */
export function watchRss(pid: number, intervalMs: number, onSample: (rssBytes: number) => void): () => void {
  const timer = setInterval(() => {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/statm`, 'utf8');
    } catch {
      clearInterval(timer);
      return;
    }
    const pages = Number(text.split(' ')[1]);
    if (Number.isFinite(pages)) onSample(pages * PAGE_BYTES);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
