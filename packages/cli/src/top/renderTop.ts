import type { DumpNode } from '@arbor/core';
import { isPoolStatus } from './isPoolStatus.js';
import { memoryOf } from './memoryOf.js';
import type { TopSample } from './TopSample.js';
import { walkDump } from './walkDump.js';

/** The size of the screen `renderTop` fills, and what else it shows. */
export interface TopScreen {
  /** Columns: no line is longer (`Infinity`: no limit, for a pipe). */
  readonly width: number;
  /** Rows: no more lines than this (`Infinity`: the whole tree, for a pipe). */
  readonly height: number;
  /** Rows in each top list (default: what fits the height, 5 for an unlimited height). */
  readonly limit?: number;
  /** A line under the header, such as "the endpoint went away; retrying". */
  readonly notice?: string;
  /** Appended to the second header line (the TTY loop's "q quits"). */
  readonly hint?: string;
}

/** An actor of the dump with what the lists sort by. */
interface Row {
  readonly node: DumpNode;
  readonly order: number;
  readonly rate: number | null;
  readonly memory: number | null;
}

/**
 * The `arbor top` screen for one sample, as lines without newlines or escape codes: a
 * header (system, pid, actors, sample number, the process's memory when the dump carries
 * it), the top actors by mailbox, by messages/s and by memory, the pools, then the tree,
 * indented and cut to the rows left. Every line fits `width`; there are at most `height`.
 * Pure: the TTY loop and the plain loop both print what it returns.
 *
 * @example
 * for (const line of renderTop(sample, { width: 100, height: 30 })) console.log(line);
 * // arbor top: system "shop", pid 4242, 5 actors, sample 2 (1000 ms since the last)
 * // memory: rss 81.2 MiB, heap 20.4 MiB; taken 2026-12-03T09:00:01.000Z
 * //
 * //  MAILBOX     MSG/S  top by mailbox
 * //       12     250.0  orders: Worker #V1StGXR8_Z5j running
 */
export function renderTop(sample: TopSample, screen: TopScreen): string[] {
  const { dump: d } = sample;
  const width = Math.max(0, Math.floor(screen.width));
  const height = Math.max(0, Math.floor(screen.height));
  const limit = screen.limit ?? (Number.isFinite(height) ? Math.min(10, Math.max(1, Math.floor((height - 12) / 5))) : 5);
  const rows: Row[] = [];
  let order = 0;
  for (const { node } of walkDump(d)) {
    if (node.id === null) continue;
    rows.push({ node, order: order++, rate: sample.rates.get(node.id) ?? null, memory: memoryOf(node)?.bytes ?? null });
  }

  const out: string[] = [];
  const since = sample.elapsedMs === null ? 'first sample' : `${Math.round(sample.elapsedMs)} ms since the last`;
  out.push(`arbor top: system ${JSON.stringify(d.system)}, pid ${d.pid}, ${d.actors} actor${d.actors === 1 ? '' : 's'}, sample ${sample.index} (${since})`);
  const memory = d.memory === undefined ? 'memory: not in this dump' : `memory: rss ${formatBytes(d.memory.rssBytes)}, heap ${formatBytes(d.memory.heapUsedBytes)}`;
  out.push(`${memory}; taken ${d.takenAt}${screen.hint === undefined ? '' : `; ${screen.hint}`}`);
  if (screen.notice !== undefined) out.push(clean(screen.notice));

  out.push('', `${col('MAILBOX')} ${col('MSG/S')}  top by mailbox`);
  const byMailbox = [...rows].sort((a, b) => b.node.mailbox - a.node.mailbox || (b.rate ?? -1) - (a.rate ?? -1) || a.order - b.order);
  for (const r of byMailbox.slice(0, limit)) out.push(`${col(String(r.node.mailbox))} ${col(formatRate(r.rate))}  ${describe(r.node)}`);
  if (rows.length === 0) out.push('  (no live actors)');

  out.push('', `${col('MSG/S')} ${col('MAILBOX')}  top by messages/s`);
  if (sample.elapsedMs === null) out.push('  (messages/s from the second sample on)');
  else {
    const byRate = rows.filter((r) => r.rate !== null).sort((a, b) => b.rate! - a.rate! || b.node.mailbox - a.node.mailbox || a.order - b.order);
    for (const r of byRate.slice(0, limit)) out.push(`${col(formatRate(r.rate))} ${col(String(r.node.mailbox))}  ${describe(r.node)}`);
    if (byRate.length === 0) out.push('  (no actor was in both samples)');
  }

  out.push('', `${col('MEMORY')} ${col('MSG/S')}  top by memory`);
  const byMemory = rows.filter((r) => r.memory !== null).sort((a, b) => b.memory! - a.memory! || a.order - b.order);
  for (const r of byMemory.slice(0, limit)) out.push(`${col(formatBytes(r.memory!))} ${col(formatRate(r.rate))}  ${describe(r.node)}`);
  if (byMemory.length === 0) out.push('  (none report memory: no actor status carries rssBytes or heapUsedBytes)');

  const pools = rows.filter((r) => isPoolStatus(r.node));
  out.push('', `pools (${pools.length})`);
  for (const r of pools.slice(0, limit)) out.push(`  ${labelOf(r.node)}:${detailsOf(r.node)}`);
  if (pools.length > limit) out.push(`  … ${pools.length - limit} more`);
  if (pools.length === 0) out.push('  (none)');

  out.push('', 'tree');
  const tree: string[] = [];
  for (const { node, depth } of walkDump(d)) {
    const rate = node.id === null ? null : (sample.rates.get(node.id) ?? null);
    tree.push(`${'  '.repeat(depth + 1)}${describe(node)}${node.id === null ? '' : `, mailbox ${node.mailbox}`}${rate === null ? '' : `, ${formatRate(rate)}/s`}`);
  }
  if (tree.length === 0) tree.push('  (no live actors)');
  const room = height - out.length;
  if (tree.length <= room) out.push(...tree);
  else if (room > 0) out.push(...tree.slice(0, room - 1), `  … ${tree.length - room + 1} more lines (a taller terminal shows them)`);

  return out.slice(0, height).map((l) => fit(l, width));
}

/** The actor as its label, behaviour, id and status. */
function describe(node: DumpNode): string {
  const label = labelOf(node);
  const what = node.id === null ? '(no actor)' : `${clean(node.behaviour ?? '?')} #${clean(node.id)}`;
  return `${label === '' ? '' : `${label}: `}${what} ${node.status}`;
}

/** The child id, else the names. */
function labelOf(node: DumpNode): string {
  if (node.childId !== null) return clean(node.childId);
  return node.names.map(clean).join(', ');
}

/** The node's details as ` key=value` pairs, without the pool name the label already shows. */
function detailsOf(node: DumpNode): string {
  let out = '';
  for (const [key, value] of Object.entries(node.details ?? {})) {
    if (key === 'pool') continue;
    const text = typeof value === 'string' && /[\s=,"]|^$/.test(value) ? JSON.stringify(value) : String(value);
    out += ` ${clean(key)}=${clean(text)}`;
  }
  return out;
}

/** A right-aligned column of 8. */
function col(text: string): string {
  return text.padStart(8);
}

function formatRate(rate: number | null): string {
  if (rate === null) return '-';
  return rate < 10 ? rate.toFixed(1) : String(Math.round(rate));
}

/** Bytes as B, KiB, MiB or GiB with one decimal. */
function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** The line cut to `width` characters (code points), ending in `…` when cut. */
function fit(line: string, width: number): string {
  if (line.length <= width) return line;
  const chars = [...line];
  if (chars.length <= width) return line;
  return width === 0 ? '' : `${chars.slice(0, width - 1).join('')}…`;
}

/** Escapes control characters, so a name cannot move the cursor or break a line. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
