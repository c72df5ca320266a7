import type { TargetResult, WorkloadRecord } from './record.js';

/** Results by workload name, in run order. */
export type Results = Readonly<Record<string, WorkloadRecord>>;

/** Keys every record has; anything else is a workload's extra figure. */
const STANDARD_KEYS = new Set(['arbor', 'limit', 'peers', 'unit', 'better', 'ratios', 'targets']);

/** The one JSON object `--json` prints. */
export function renderJson(results: Results): string {
  return JSON.stringify(results, null, 2);
}

/** True for a unit in milliseconds (`ms`, `ms (p99)`), not a rate such as `msgs/s`. */
function isMs(unit: string): boolean {
  return unit === 'ms' || unit.startsWith('ms ');
}

/** True for a unit in microseconds (`us`). */
function isUs(unit: string): boolean {
  return unit === 'us' || unit.startsWith('us ');
}

/** A figure in a workload's unit: rates as k/M, milli- and microseconds with two decimals, the rest as integers. */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return '-';
  if (unit.endsWith('/s')) {
    if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
    if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
    return String(Math.round(value));
  }
  if (isMs(unit) || isUs(unit)) return value.toFixed(2);
  return Math.round(value).toLocaleString('en-US');
}

/** A plain figure with no unit (a ratio of two times): two decimals. */
function formatPlain(value: number): string {
  return value.toFixed(2);
}

function formatRatio(r: number): string {
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}x`;
}

/** Extra fields in the workload's own unit (ms or us) although their names do not say so. */
const UNIT_EXTRAS = new Set(['max', 'idle_p99', 'limit_max', 'ms', 'median', 'p99', 'limit_p99', 'respawn_median', 'respawn_p99', 'p95', 'limit_p95', 'thread_p95', 'thread_start_p95']);

/** An absolute target's bound or figure: in the workload's unit, unless it bounds an extra figure in another one. */
function formatAbsolute(t: TargetResult, value: number, unit: string): string {
  return t.of === undefined || UNIT_EXTRAS.has(t.of) ? formatValue(value, unit) : formatPlain(value);
}

function describeTarget(t: TargetResult, unit: string): string {
  if (t.against === 'absolute') {
    const inUnit = t.of === undefined || UNIT_EXTRAS.has(t.of);
    const bound = `${formatAbsolute(t, t.value, unit)}${inUnit ? ` ${unit.replace(/ \(.*\)$/, '')}` : ''}`;
    return `${t.of === undefined ? '' : `${t.of} `}${t.op} ${bound}`;
  }
  return `${t.op} ${formatRatio(t.value)} ${t.against}`;
}

function targetOutcome(t: TargetResult, unit: string): string {
  if (t.actual === null) return 'NOT MET (no reference figure)';
  const shown = t.against === 'absolute' ? formatAbsolute(t, t.actual, unit) : formatRatio(t.actual);
  if (t.met) return `met (${shown})`;
  const off = Math.abs(t.actual / t.value - 1) * 100;
  return `NOT MET (${shown}, ${off.toFixed(0)}% ${t.op === '>=' ? 'short' : 'over'})`;
}

function formatExtra(key: string, value: unknown, unit: string): string {
  if (typeof value !== 'number') return `${key} ${JSON.stringify(value)}`;
  if (key.endsWith('_ms') || key.startsWith('ms_') || (isMs(unit) && UNIT_EXTRAS.has(key))) return `${key} ${value.toFixed(2)} ms`;
  if (key.endsWith('_us') || (isUs(unit) && UNIT_EXTRAS.has(key))) return `${key} ${value.toFixed(2)} us`;
  if (key.includes('ratio')) return `${key} ${formatPlain(value)}`;
  return `${key} ${Math.round(value).toLocaleString('en-US')}`;
}

/** The human-readable table: figures, ratios (arbor / reference) and targets, one row per ratio or target. */
export function renderTable(results: Results, title: readonly string[] = []): string {
  const peerNames = [...new Set(Object.values(results).flatMap((r) => Object.keys(r.peers)))];
  const header = ['workload', 'unit', 'arbor', 'limit', ...peerNames, 'ratio (arbor/ref)', 'target', 'result'];
  const rows: string[][] = [];
  let met = 0;
  let total = 0;

  for (const [name, r] of Object.entries(results)) {
    const unit = r.better === 'lower' ? `${r.unit}, lower is better` : r.unit;
    const ratios = Object.entries(r.ratios).map(([ref, v]) => `${formatRatio(v)} ${ref}`);
    const lines = Math.max(1, ratios.length, r.targets.length);
    for (let i = 0; i < lines; i++) {
      const t = r.targets[i];
      if (t !== undefined) {
        total++;
        if (t.met) met++;
      }
      rows.push(
        i === 0
          ? [
              name,
              unit,
              formatValue(r.arbor, r.unit),
              formatValue(r.limit, r.unit),
              ...peerNames.map((p) => formatValue(r.peers[p], r.unit)),
              ratios[0] ?? '-',
              t === undefined ? '' : describeTarget(t, r.unit),
              t === undefined ? '' : targetOutcome(t, r.unit),
            ]
          : [
              '',
              '',
              '',
              '',
              ...peerNames.map(() => ''),
              ratios[i] ?? '',
              t === undefined ? '' : describeTarget(t, r.unit),
              t === undefined ? '' : targetOutcome(t, r.unit),
            ],
      );
    }
  }

  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (c >= 2 && c < 4 + peerNames.length ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();

  const out: string[] = [...title];
  if (title.length > 0) out.push('');
  out.push(line(header), widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) out.push(line(row));
  out.push('');
  for (const [name, r] of Object.entries(results)) {
    const extras = Object.entries(r)
      .filter(([k]) => !STANDARD_KEYS.has(k))
      .map(([k, v]) => formatExtra(k, v, r.unit));
    if (extras.length > 0) out.push(`${name}: ${extras.join(', ')}`);
  }
  out.push('', `targets met: ${met} of ${total}`);
  return out.join('\n');
}
