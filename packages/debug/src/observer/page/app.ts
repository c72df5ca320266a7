/**
 * The observer page: reads `/events` (a snapshot, then diffs), draws the tree (virtualised:
 * only the rows in view exist in the DOM), the pools, memory and the crash timeline, and an
 * actor's panel with sparklines, its state and a live trace. No framework, no dependency.
 * The shapes below mirror src/observer/protocol.ts.
 */

type Details = Readonly<Record<string, string | number | boolean | null>>;

interface WireNode {
  key: string;
  id: string | null;
  parent: string | null;
  children: string[];
  names: string[];
  behaviour: string | null;
  kind: 'supervisor' | 'actor';
  strategy: string | null;
  status: string;
  childId: string | null;
  mailbox: number;
  handled: number;
  rate: number;
  restarts: number | null;
  lastExit: string | null;
  links: string[];
  monitors: string[];
  details: Details | null;
  traced: boolean;
  omitted: number;
}
interface MemoryPoint { t: number; rss: number; heap: number }
interface TimelineEvent { t: number; kind: 'restart' | 'exit'; key: string; label: string; reason: string | null }
interface Totals { actors: number; rate: number; intervalMs: number; sampleMs: number }
interface Snapshot { type: 'snapshot'; system: string; pid: number; allowControl: boolean; t: number; roots: string[]; nodes: WireNode[]; memory: MemoryPoint[]; timeline: TimelineEvent[]; totals: Totals }
interface Diff { type: 'diff'; t: number; roots?: string[]; changed: WireNode[]; removed: string[]; memory: MemoryPoint | null; timeline: TimelineEvent[]; totals: Totals }
interface ActorAnswer { node: WireNode | null; uptimeMs: number | null; state: string; details: Details | null; history: { t: number[]; rate: (number | null)[]; mailbox: (number | null)[] } }

const ROW = 26;
const OVERSCAN = 10;
/** A node with more children than this starts collapsed. */
const AUTO_COLLAPSE = 50;

const nodes = new Map<string, WireNode>();
const byId = new Map<string, string>();
let roots: string[] = [];
let memory: MemoryPoint[] = [];
let timeline: TimelineEvent[] = [];
let totals: Totals = { actors: 0, rate: 0, intervalMs: 0, sampleMs: 0 };
let system = '';
let pid = 0;
let allowControl = false;
const expanded = new Map<string, boolean>();
const flashed = new Map<string, number>();
let visible: { key: string; depth: number }[] = [];
let selected: string | null = null;
let query = '';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Makes an element: `h('div', { class: 'x' }, 'text', child)`. */
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string | null)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== null) el.append(c);
  return el;
}

function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function labelOf(n: WireNode): string {
  return n.names[0] ?? n.childId ?? n.behaviour ?? '?';
}

function isPool(n: WireNode): boolean {
  return n.details !== null && typeof n.details['pool'] === 'string';
}

function fmtRate(r: number): string {
  return r >= 100 ? Math.round(r).toLocaleString('en') : r === 0 ? '0' : r.toFixed(1);
}

function fmtBytes(b: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (b >= 1024 && i < units.length - 1) {
    b /= 1024;
    i++;
  }
  return `${b.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

function fmtTime(t: number): string {
  return new Date(t).toLocaleTimeString('en-GB', { hour12: false });
}

function fmtUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

// ------------------------------------------------------------------ data

function put(n: WireNode): void {
  const before = nodes.get(n.key);
  if (before !== undefined && before.id !== null && before.id !== n.id) byId.delete(before.id);
  if (before !== undefined && (n.restarts ?? 0) > (before.restarts ?? 0)) flashed.set(n.key, Date.now());
  nodes.set(n.key, n);
  if (n.id !== null) byId.set(n.id, n.key);
  if (!expanded.has(n.key)) expanded.set(n.key, n.children.length <= AUTO_COLLAPSE);
}

function onSnapshot(s: Snapshot): void {
  nodes.clear();
  byId.clear();
  system = s.system;
  pid = s.pid;
  allowControl = s.allowControl;
  roots = s.roots;
  for (const n of s.nodes) put(n);
  memory = s.memory;
  timeline = s.timeline;
  totals = s.totals;
  document.body.dataset['control'] = String(allowControl);
  renderAll();
}

function onDiff(d: Diff): void {
  if (d.roots !== undefined) roots = d.roots;
  for (const key of d.removed) {
    const n = nodes.get(key);
    if (n?.id != null) byId.delete(n.id);
    nodes.delete(key);
    expanded.delete(key);
  }
  for (const n of d.changed) put(n);
  if (d.memory !== null) {
    memory.push(d.memory);
    const since = d.memory.t - 5 * 60_000;
    while (memory.length > 0 && memory[0]!.t < since) memory.shift();
  }
  timeline.push(...d.timeline);
  if (timeline.length > 300) timeline.splice(0, timeline.length - 300);
  totals = d.totals;
  renderAll();
}

// ------------------------------------------------------------------ tree

function matches(n: WireNode, q: string): boolean {
  if (n.id !== null && n.id.toLowerCase().includes(q)) return true;
  if (n.behaviour !== null && n.behaviour.toLowerCase().includes(q)) return true;
  if (n.childId !== null && n.childId.toLowerCase().includes(q)) return true;
  return n.names.some((name) => name.toLowerCase().includes(q));
}

/** The rows to show, in tree order: expanded subtrees, or while searching the matches and their ancestors. */
function computeVisible(): void {
  const out: { key: string; depth: number }[] = [];
  const q = query.trim().toLowerCase();
  let keep: Set<string> | null = null;
  if (q !== '') {
    keep = new Set();
    for (const n of nodes.values()) {
      if (!matches(n, q)) continue;
      for (let k: string | null = n.key; k !== null && !keep.has(k); k = nodes.get(k)?.parent ?? null) keep.add(k);
    }
  }
  const stack: { key: string; depth: number }[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ key: roots[i]!, depth: 0 });
  while (stack.length > 0) {
    const item = stack.pop()!;
    const n = nodes.get(item.key);
    if (n === undefined || (keep !== null && !keep.has(n.key))) continue;
    out.push(item);
    if (keep === null && expanded.get(n.key) === false) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push({ key: n.children[i]!, depth: item.depth + 1 });
  }
  visible = out;
}

function renderTree(): void {
  computeVisible();
  const tree = $('tree');
  $('spacer').style.height = `${visible.length * ROW}px`;
  const first = Math.max(0, Math.floor(tree.scrollTop / ROW) - OVERSCAN);
  const last = Math.min(visible.length, Math.ceil((tree.scrollTop + tree.clientHeight) / ROW) + OVERSCAN);
  const rows = $('rows');
  rows.style.transform = `translateY(${first * ROW}px)`;
  const frag = document.createDocumentFragment();
  const now = Date.now();
  for (let i = first; i < last; i++) {
    const v = visible[i]!;
    const n = nodes.get(v.key)!;
    frag.append(rowOf(n, v.depth, now));
  }
  rows.replaceChildren(frag);
  $('count').textContent = query.trim() === '' ? `${nodes.size.toLocaleString('en')} nodes` : `${visible.length.toLocaleString('en')} of ${nodes.size.toLocaleString('en')}`;
}

function rowOf(n: WireNode, depth: number, now: number): HTMLElement {
  const row = h('div', { class: 'row row-grid', 'data-key': n.key, 'data-id': n.id ?? '' });
  if (n.key === selected) row.classList.add('selected');
  const flashAt = flashed.get(n.key);
  if (flashAt !== undefined && now - flashAt < 2000) row.classList.add('flash');
  const name = h('div', { class: 'name' });
  name.style.paddingLeft = `${depth * 16}px`;
  const open = expanded.get(n.key) !== false;
  const caret = h('span', { class: 'caret', 'data-toggle': n.key }, n.children.length > 0 ? (open ? '▾' : '▸') : '');
  name.append(caret, h('span', { class: 'label' }, labelOf(n)));
  if (n.behaviour !== null && n.behaviour !== labelOf(n)) name.append(h('span', { class: 'beh' }, n.behaviour));
  if (n.kind === 'supervisor') name.append(h('span', { class: 'badge sup' }, n.strategy ?? 'sup'));
  if (isPool(n)) name.append(h('span', { class: 'badge b-pool' }, 'pool'));
  if (n.traced) name.append(h('span', { class: 'badge traced' }, 'traced'));
  if (!open && n.children.length > 0) name.append(h('span', { class: 'badge' }, `+${n.children.length}`));
  if (n.omitted > 0) name.append(h('span', { class: 'badge' }, `${n.omitted} deeper`));
  if (n.id !== null) name.append(h('span', { class: 'id mono' }, `#${n.id}`));
  row.append(
    name,
    h('span', { class: `status s-${n.status}` }, h('span', { class: 'dot' }), n.status),
    h('span', { class: `num${n.mailbox >= 100 ? ' hot' : ''}`, 'data-col': 'mailbox' }, n.mailbox.toLocaleString('en')),
    h('span', { class: 'num', 'data-col': 'rate' }, fmtRate(n.rate)),
    h('span', { class: `num${(n.restarts ?? 0) > 0 ? ' hot' : ''}`, 'data-col': 'restarts' }, n.restarts === null ? '–' : String(n.restarts)),
    h('span', { class: `exit${n.lastExit !== null && !/^(normal|shutdown)/.test(n.lastExit) ? ' crash' : ''}`, title: n.lastExit ?? '' }, n.lastExit ?? ''),
  );
  return row;
}

// ------------------------------------------------------------------ side: header, pools, memory, timeline

function renderFacts(): void {
  const m = memory[memory.length - 1];
  const facts: [string, string][] = [
    ['system', system],
    ['pid', String(pid)],
    ['actors', totals.actors.toLocaleString('en')],
    ['msg/s', fmtRate(totals.rate)],
    ['rss', m === undefined ? '–' : fmtBytes(m.rss)],
    ['heap', m === undefined ? '–' : fmtBytes(m.heap)],
    ['sample', `${totals.intervalMs} ms`],
  ];
  $('facts').replaceChildren(...facts.map(([k, v]) => h('div', { class: 'fact', 'data-fact': k }, h('b', {}, v), h('i', {}, k))));
}

function num(d: Details, ...keys: string[]): number | undefined {
  for (const k of keys) if (typeof d[k] === 'number') return d[k];
  return undefined;
}

function renderPools(): void {
  const cards: HTMLElement[] = [];
  for (const n of nodes.values()) {
    if (!isPool(n)) continue;
    const d = n.details!;
    const size = num(d, 'size', 'workers', 'maxWorkers');
    const over = num(d, 'maxOverflow') ?? 0;
    const capacity = size === undefined ? undefined : size + over;
    const load = num(d, 'checkedOut', 'running', 'busy');
    const queue = num(d, 'waiting', 'queued') ?? 0;
    const taints = d['taints'];
    const share = capacity !== undefined && capacity > 0 && load !== undefined ? Math.min(1, load / capacity) : 0;
    const bar = h('div', { class: `bar${share >= 1 ? ' full' : ''}` }, h('div'));
    (bar.firstChild as HTMLElement).style.width = `${Math.round(share * 100)}%`;
    const kv = h('dl', { class: 'kv' });
    const add = (k: string, v: string): void => void kv.append(h('dt', {}, k), h('dd', {}, v));
    add('load', `${load ?? '?'} / ${capacity ?? '?'}`);
    add('queue', String(queue));
    if (typeof d['state'] === 'string') add('state', d['state']);
    if (taints !== undefined && taints !== null && taints !== 0 && taints !== '') add('taints', String(taints));
    const card = h('div', { class: 'pool', 'data-key': n.key }, h('div', { class: 'title' }, String(d['pool']), h('span', {}, n.behaviour ?? '')), bar, kv);
    card.addEventListener('click', () => select(n.key));
    cards.push(card);
  }
  $('pools').replaceChildren(...(cards.length > 0 ? cards : [h('div', { class: 'empty' }, 'No pools in this tree')]));
}

/** A line chart of one or more series over time, as inline SVG. */
function lineChart(series: { values: (number | null)[]; color: string }[], t: number[], width: number, height: number): SVGElement {
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, height, preserveAspectRatio: 'none' });
  let max = 0;
  for (const s of series) for (const v of s.values) if (v !== null && v > max) max = v;
  const top = max === 0 ? 1 : max * 1.1;
  const padTop = 4;
  const t0 = t[0] ?? 0;
  const span = Math.max(1, (t[t.length - 1] ?? 1) - t0);
  root.append(svg('line', { x1: 0, x2: width, y1: height - 0.5, y2: height - 0.5, stroke: '#e2e5ea' }));
  for (const s of series) {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      const x = t.length <= 1 ? width : (((t[i] ?? t0) - t0) / span) * width;
      const y = height - 1 - (v / top) * (height - padTop - 1);
      d += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
      pen = true;
    });
    root.append(svg('path', { d, fill: 'none', stroke: s.color, 'stroke-width': 1.5, 'vector-effect': 'non-scaling-stroke' }));
  }
  return root;
}

function renderMemory(): void {
  const box = $('memory');
  const m = memory[memory.length - 1];
  $('memory-now').textContent = m === undefined ? '' : `rss ${fmtBytes(m.rss)} · heap ${fmtBytes(m.heap)}`;
  if (memory.length === 0) {
    box.replaceChildren(h('div', { class: 'empty' }, 'No memory figures in this dump'));
    return;
  }
  const t = memory.map((p) => p.t);
  const chart = lineChart([{ values: memory.map((p) => p.rss), color: '#2f6fdb' }, { values: memory.map((p) => p.heap), color: '#1f9d55' }], t, 400, 100);
  const peak = Math.max(...memory.map((p) => p.rss));
  const legend = h('div', { class: 'legend' }, h('span', {}, h('i', { class: 'l-rss' }), 'rss'), h('span', {}, h('i', { class: 'l-heap' }), 'heap used'), h('span', {}, `peak ${fmtBytes(peak)}`), h('span', {}, `last ${fmtUptime((t[t.length - 1] ?? 0) - (t[0] ?? 0))}`));
  (legend.querySelector('.l-rss') as HTMLElement).style.background = '#2f6fdb';
  (legend.querySelector('.l-heap') as HTMLElement).style.background = '#1f9d55';
  box.replaceChildren(chart, legend);
}

function renderTimeline(): void {
  const list = $('timeline');
  if (timeline.length === 0) {
    list.replaceChildren(h('li', { class: 'empty' }, 'Nothing crashed or restarted since the observer started'));
    return;
  }
  const items = timeline
    .slice(-100)
    .reverse()
    .map((e) => {
      const li = h(
        'li',
        { 'data-kind': e.kind, 'data-key': e.key },
        h('span', { class: 't' }, fmtTime(e.t)),
        h('span', { class: `k-${e.kind}` }, e.kind),
        h('span', {}, h('b', {}, e.label), e.reason === null ? null : h('span', { class: 'why', title: e.reason }, e.reason)),
      );
      li.addEventListener('click', () => {
        if (nodes.has(e.key)) select(e.key);
      });
      return li;
    });
  list.replaceChildren(...items);
}

// ------------------------------------------------------------------ actor panel

let panelTimer: number | undefined;
let trace: EventSource | null = null;
let traceCount = 0;

function select(key: string | null): void {
  if (key !== selected) stopTrace();
  selected = key;
  if (key !== null) reveal(key);
  renderTree();
  void refreshPanel(true);
}

/** Expands the ancestors of `key` and scrolls its row into view. */
function reveal(key: string): void {
  for (let k = nodes.get(key)?.parent ?? null; k !== null; k = nodes.get(k)?.parent ?? null) expanded.set(k, true);
  computeVisible();
  const i = visible.findIndex((v) => v.key === key);
  const tree = $('tree');
  if (i >= 0 && (i * ROW < tree.scrollTop || (i + 1) * ROW > tree.scrollTop + tree.clientHeight)) tree.scrollTop = Math.max(0, i * ROW - tree.clientHeight / 3);
}

async function refreshPanel(fresh: boolean): Promise<void> {
  window.clearTimeout(panelTimer);
  const panel = $('actor');
  const key = selected;
  if (key === null) {
    panel.hidden = true;
    $('hint').hidden = false;
    return;
  }
  const n = nodes.get(key);
  if (n === undefined) {
    select(null);
    return;
  }
  panel.hidden = false;
  $('hint').hidden = true;
  let answer: ActorAnswer | null = null;
  if (n.id !== null) {
    try {
      const res = await fetch(`/actor/${encodeURIComponent(n.id)}`, { credentials: 'same-origin' });
      if (res.ok) answer = (await res.json()) as ActorAnswer;
    } catch {
      // the server is away or the answer was cut: show what the tree knows, try again soon
    }
  }
  if (selected !== key) return;
  renderPanel(nodes.get(key) ?? n, answer, fresh);
  panelTimer = window.setTimeout(() => void refreshPanel(false), 2000);
}

function spark(title: string, values: (number | null)[], t: number[], now: string, color: string): HTMLElement {
  return h('div', { class: 'spark' }, h('div', { class: 'cap' }, h('span', {}, title), h('b', {}, now)), lineChart([{ values, color }], t, 180, 40));
}

function idLinks(ids: string[]): HTMLElement {
  if (ids.length === 0) return h('span', { class: 'empty' }, 'none');
  const box = h('div', { class: 'links' });
  for (const id of ids.slice(0, 30)) {
    const key = byId.get(id);
    const n = key === undefined ? undefined : nodes.get(key);
    const a = h('a', { class: 'mono' }, n === undefined ? id : `${labelOf(n)} #${id}`);
    if (key !== undefined) a.addEventListener('click', () => select(key));
    box.append(a);
  }
  if (ids.length > 30) box.append(h('span', { class: 'empty' }, `+${ids.length - 30}`));
  return box;
}

function kvOf(entries: [string, string][]): HTMLElement {
  const dl = h('dl', { class: 'kv' });
  for (const [k, v] of entries) dl.append(h('dt', {}, k), h('dd', {}, v));
  return dl;
}

function renderPanel(n: WireNode, a: ActorAnswer | null, fresh: boolean): void {
  const panel = $('actor');
  const keepTrace = !fresh ? panel.querySelector('.trace-box') : null;
  // The control buttons stay the same elements while the actor does (a press during a refresh
  // must not be lost, nor the answer shown under them); a new actor (restarted) gets new ones.
  const oldControls = !fresh ? panel.querySelector<HTMLElement>('.control-box') : null;
  const close = h('button', { class: 'close', title: 'Close' }, '×');
  close.addEventListener('click', () => select(null));
  const facts: [string, string][] = [
    ['status', n.status],
    ['mailbox', n.mailbox.toLocaleString('en')],
    ['msg/s', fmtRate(n.rate)],
    ['handled', n.handled.toLocaleString('en')],
    ['restarts', n.restarts === null ? '– (not supervised)' : String(n.restarts)],
    ['last exit', n.lastExit ?? 'none'],
  ];
  if (a?.uptimeMs != null) facts.push(['uptime', fmtUptime(a.uptimeMs)]);
  if (n.childId !== null) facts.push(['child id', n.childId]);
  if (n.names.length > 1) facts.push(['names', n.names.join(', ')]);
  const parts: (HTMLElement | null)[] = [
    h('h2', {}, h('span', {}, labelOf(n)), close),
    h('div', { class: 'sub mono' }, `${n.behaviour ?? 'no actor'}${n.id === null ? '' : ` #${n.id}`}`),
    kvOf(facts),
  ];
  if (a !== null) {
    const hist = a.history;
    const lastRate = n.rate;
    parts.push(h('h3', {}, 'Last 5 minutes'), h('div', { class: 'sparks' }, spark('msg/s', hist.rate, hist.t, fmtRate(lastRate), '#2f6fdb'), spark('mailbox', hist.mailbox, hist.t, String(n.mailbox), '#d98b00')));
  }
  const details = a?.details ?? n.details;
  if (details !== null) parts.push(h('h3', {}, 'Details (formatStatus)'), kvOf(Object.entries(details).map(([k, v]) => [k, String(v)])));
  parts.push(h('h3', {}, 'Links'), idLinks(n.links), h('h3', {}, 'Monitors'), idLinks(n.monitors));
  if (a !== null) parts.push(h('h3', {}, 'State'), h('pre', { class: 'state mono' }, a.state));
  if (n.id !== null) parts.push((keepTrace as HTMLElement | null) ?? traceBox(n.id));
  if (allowControl && n.id !== null) {
    const box = oldControls !== null && oldControls.dataset['id'] === n.id ? oldControls : controls(n, oldControls?.querySelector<HTMLElement>('.message') ?? null);
    parts.push(h('h3', {}, 'Control'), box);
  }
  panel.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
}

function traceBox(id: string): HTMLElement {
  const log = h('div', { class: 'trace-log mono', id: 'trace-log' });
  const button = h('button', { id: 'trace-toggle', class: 'primary' }, 'Start trace');
  const note = h('span', { class: 'note', id: 'trace-note' }, 'the next 200 events');
  button.addEventListener('click', () => (trace === null ? startTrace(id) : stopTrace()));
  return h('div', { class: 'trace-box' }, h('h3', {}, 'Live trace'), h('div', { class: 'trace-bar' }, button, note), log);
}

function traceLine(e: Record<string, unknown>): HTMLElement {
  const kind = String(e['kind']);
  const rest: string[] = [];
  if (e['via'] !== undefined) rest.push(String(e['via']));
  if (e['outcome'] !== undefined) rest.push(String(e['outcome']));
  if (typeof e['durationUs'] === 'number') rest.push(`${e['durationUs'].toFixed(0)}µs`);
  if (e['to'] !== undefined) rest.push(`→ ${String(e['to'])}`);
  for (const f of ['child', 'other', 'target', 'reason', 'preview']) if (e[f] !== undefined) rest.push(String(e[f]));
  const at = typeof e['at'] === 'number' ? e['at'].toFixed(1).padStart(8) : '';
  return h('div', { class: e['outcome'] === 'crash' ? 'crash' : '' }, `${String(e['seq']).padStart(4)} ${at}ms `, h('span', { class: 'k' }, kind.padEnd(9)), ` ${rest.join(' ')}`);
}

function startTrace(id: string): void {
  stopTrace();
  const log = document.getElementById('trace-log');
  if (log === null) return;
  log.replaceChildren();
  traceCount = 0;
  const source = new EventSource(`/trace/${encodeURIComponent(id)}?max=200`);
  trace = source;
  $('trace-toggle').textContent = 'Stop trace';
  $('trace-note').textContent = 'tracing…';
  source.addEventListener('trace', (m) => {
    traceCount++;
    log.append(traceLine(JSON.parse((m as MessageEvent<string>).data) as Record<string, unknown>));
    while (log.childElementCount > 500) log.firstChild?.remove();
    log.scrollTop = log.scrollHeight;
    $('trace-note').textContent = `${traceCount} events`;
  });
  source.addEventListener('end', (m) => {
    const end = JSON.parse((m as MessageEvent<string>).data) as { reason: string; events: number };
    stopTrace(`ended: ${end.reason}, ${end.events} events`);
  });
  source.onerror = () => stopTrace(traceCount === 0 ? 'could not trace (the actor may be gone)' : `stopped after ${traceCount} events`);
}

function stopTrace(note?: string): void {
  if (trace !== null) {
    trace.close();
    trace = null;
  }
  const toggle = document.getElementById('trace-toggle');
  if (toggle !== null) toggle.textContent = 'Start trace';
  const n = document.getElementById('trace-note');
  if (n !== null && note !== undefined) n.textContent = note;
  else if (n !== null && traceCount > 0) n.textContent = `stopped after ${traceCount} events`;
}

/** The control buttons of actor `n`; `carry`: the answer shown under the previous ones, kept. */
function controls(n: WireNode, carry: HTMLElement | null): HTMLElement {
  const box = h('div', { class: 'control-box', 'data-id': n.id ?? '' });
  const row = h('div', { class: 'controls' });
  const message = h('div', { class: carry?.className ?? 'message' }, carry?.textContent ?? '');
  const actions: [string, string, string][] = [
    ['kill', 'Kill', `Kill ${labelOf(n)} (#${n.id})? Its supervisor decides whether it comes back.`],
    ['restart', 'Restart', `Restart ${labelOf(n)} (#${n.id}) through its supervisor?`],
    ['suspend', 'Suspend', `Suspend ${labelOf(n)} (#${n.id})? It keeps its mailbox but handles nothing until resumed.`],
    ['resume', 'Resume', `Resume ${labelOf(n)} (#${n.id})?`],
  ];
  for (const [action, label, question] of actions) {
    const b = h('button', { class: action === 'kill' || action === 'restart' ? 'danger' : '', 'data-action': action }, label);
    b.addEventListener('click', () => {
      if (!window.confirm(question)) return;
      void fetch('/control', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action, id: n.id }) })
        .then(async (res) => {
          const r = (await res.json()) as { ok: boolean; reason?: string };
          message.className = `message${r.ok ? '' : ' bad'}`;
          message.textContent = r.ok ? `${action}: done` : `${action} refused: ${r.reason ?? res.status}`;
        })
        .catch((e: unknown) => {
          message.className = 'message bad';
          message.textContent = `${action} failed: ${String(e)}`;
        });
    });
    row.append(b);
  }
  box.append(row, message);
  return box;
}

// ------------------------------------------------------------------ wiring

let frame = 0;
function renderAll(): void {
  if (frame !== 0) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    renderFacts();
    renderTree();
    renderPools();
    renderMemory();
    renderTimeline();
    if (selected !== null && !nodes.has(selected)) select(null);
  });
}

function connect(): void {
  const conn = $('conn');
  const events = new EventSource('/events');
  events.addEventListener('open', () => {
    conn.dataset['state'] = 'live';
    conn.textContent = 'live';
  });
  events.addEventListener('snapshot', (m) => onSnapshot(JSON.parse((m as MessageEvent<string>).data) as Snapshot));
  events.addEventListener('diff', (m) => onDiff(JSON.parse((m as MessageEvent<string>).data) as Diff));
  events.addEventListener('error', () => {
    conn.dataset['state'] = 'lost';
    conn.textContent = events.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting';
  });
}

$('tree').addEventListener('scroll', () => renderTree(), { passive: true });
// The rows are redrawn with each update (a few a second): a row pressed may be replaced before
// the button is released, and the click then lands on the rows' box, or nowhere. So a row is
// opened (or its subtree toggled) when it is pressed, as in a file manager.
$('rows').addEventListener('pointerdown', (e) => {
  if (e.button !== 0) return;
  const target = e.target as HTMLElement;
  const toggle = target.closest('[data-toggle]')?.getAttribute('data-toggle');
  if (toggle != null && (nodes.get(toggle)?.children.length ?? 0) > 0) {
    expanded.set(toggle, expanded.get(toggle) === false);
    renderTree();
    return;
  }
  const key = target.closest('.row')?.getAttribute('data-key');
  if (key != null) select(key);
});
$<HTMLInputElement>('search').addEventListener('input', (e) => {
  query = (e.target as HTMLInputElement).value;
  $('tree').scrollTop = 0;
  renderTree();
});
$('expand').addEventListener('click', () => {
  for (const k of nodes.keys()) expanded.set(k, true);
  renderTree();
});
$('collapse').addEventListener('click', () => {
  for (const n of nodes.values()) if (n.parent !== null) expanded.set(n.key, false);
  for (const r of roots) expanded.set(r, true);
  renderTree();
});
window.addEventListener('resize', () => renderTree());
connect();
