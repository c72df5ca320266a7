/**
 * The demo's script: start the service as a child process, drive a load against its HTTP
 * API, inject faults on the way (each printed as "fault → what happened → what the
 * caller saw"), SIGKILL the whole service and start it again (its process registry sweeps
 * the orphaned Python workers), stop it in order, and answer a {@link DemoSummary}
 * of what actually happened, which `demo.ts` prints and the smoke test checks.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type Reply } from './Client.js';
import { documentText, seeded } from './documents.js';
import { Progress } from './Progress.js';
import { alive, DEMO_MARKER, markedPids, ServiceProcess, until } from './ServiceProcess.js';

/** One injected fault, and what its caller saw. */
export interface FaultOutcome {
  readonly fault: string;
  /** `200`, or `503 worker_exit`, `507 oom`, ... */
  readonly callerSaw: string;
  /** What the script expected the caller to see, and whether it did. */
  readonly expected: string;
  readonly asExpected: boolean;
}

/** What the demo observed; every field is measured, not scripted. */
export interface DemoSummary {
  readonly python: boolean;
  /** The API traffic (the fault routes' own requests are not counted). */
  readonly sent: number;
  readonly answered: number;
  readonly ok: number;
  readonly failedBy: Readonly<Record<string, number>>;
  /** Requests in flight when the whole service was SIGKILLed: no HTTP answer (connection reset). */
  readonly cutOff: number;
  readonly faults: readonly FaultOutcome[];
  readonly documents: {
    /** Posted before the service was SIGKILLed, and how many of them were still there after the pool faults. */
    readonly posted: number;
    readonly survivedPoolFaults: number;
    /** The table is in memory: after the SIGKILL and restart, how many old ids were found (0) and how many were posted again. */
    readonly foundAfterRestart: number;
    readonly repostedAfterRestart: number;
  };
  readonly orphans: {
    /** The Python workers' pids just before the SIGKILL, those still running after it, the restarted service's sweep, and any left after the sweep. */
    readonly pythonPids: readonly number[];
    readonly aliveAfterKill: readonly number[];
    readonly swept: readonly { readonly pid: number | null; readonly outcome: string }[];
    readonly leftAfterSweep: readonly number[];
  };
  /** How the restarted service stopped (SIGTERM), and the demo's processes left afterwards (from /proc). */
  readonly stopCode: number | null;
  readonly processesLeft: readonly number[];
  readonly logFile: string | undefined;
}

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Show the service's logs (stderr) instead of writing them to a file. */
  readonly verbose?: boolean;
  /** The marker the service's processes carry (default: a fresh one). */
  readonly token?: string;
}

interface Doc {
  id: string;
  chars: number;
}

/**
 * A sweep outcome in words.
 *
 * @example
 * sweptOutcome({ pid: 4242, outcome: 'terminated' }); // 'pid 4242 terminated (an orphan: stopped now)'
 */
export function sweptOutcome(o: { readonly pid: number | null; readonly outcome: string }): string {
  const note: Record<string, string> = { terminated: 'an orphan: stopped now', killed: 'an orphan: needed SIGKILL', zombie: 'it had exited, unreaped', not_running: 'it had exited' };
  return `pid ${String(o.pid)} ${o.outcome}${note[o.outcome] !== undefined ? ` (${note[o.outcome]})` : ''}`;
}

const show = (r: Reply): string => (r.status === 0 ? 'no answer (connection reset)' : r.error === undefined ? `${r.status}` : `${r.status} ${r.error}`);

/**
 * Runs the demo, printing the story to `stream`.
 *
 * @example
 * const summary = await runDemo(process.stdout);
 */
export async function runDemo(stream: NodeJS.WriteStream, options: DemoOptions = {}): Promise<DemoSummary> {
  const out = new Progress(stream);
  const token = options.token ?? process.env[DEMO_MARKER] ?? randomUUID();
  const dir = mkdtempSync(join(tmpdir(), 'docservice-demo-'));
  const faultsDir = join(dir, 'faults');
  const logFile = options.verbose === true ? undefined : join(tmpdir(), `docservice-demo-${process.pid}.log`);
  const args = ['--faults', faultsDir, '--registry', join(dir, 'process-registry.mdb'), '--no-pdeathsig'];
  const next = seeded(18);
  const faults: FaultOutcome[] = [];
  let service: ServiceProcess | undefined;
  try {
    mkdirSync(faultsDir);
    service = await ServiceProcess.start({ args, token, logs: logFile ?? 'inherit' });
    const python = service.ready.python;
    const client = new Client(service.ready.port);
    const admin = new Client(service.ready.port);
    const status = async (): Promise<any> => (await admin.send('GET', '/faults/status')).body;
    const progress = (): void => {
      const t = client.tally;
      const failed = Object.entries(t.failedBy).map(([code, n]) => `${code} ${n}`).join(', ');
      out.update(`  requests: ${t.sent} sent, ${t.answered} answered (${t.ok} ok${failed === '' ? '' : `, failed: ${failed}`})${t.cutOff > 0 ? `, ${t.cutOff} cut off` : ''}`);
    };
    client.onReply = progress;
    const fault = (name: string, happened: string, reply: Reply, expected: string): void => {
      const callerSaw = show(reply);
      faults.push({ fault: name, callerSaw, expected, asExpected: callerSaw === expected });
      out.line(`  fault: ${name}`);
      out.line(`     → ${happened}`);
      out.line(`     → the caller saw ${callerSaw}${callerSaw === expected ? '' : ` (expected ${expected})`}`);
    };

    out.line(`docservice: a document service on Arbor (pid ${service.pid}, http://127.0.0.1:${service.ready.port}, debug endpoint ${service.ready.endpoint})`);
    out.line('  its tree: documents table + keeper, process registry, sessions registry, stats pool (threads), summary pool (Python), HTTP API, debug endpoint');
    if (!python) out.line('  python3 is not on the PATH: the Python parts are skipped (install it: apt-get install python3)');
    out.line('  (Python workers run without setpriv --pdeathsig here, so the process registry\'s sweep is what cleans up after a SIGKILL)');

    // ------------------------------------------------------------------ load
    const newSession = async (user: string): Promise<Record<string, string>> => {
      const r = await client.send('POST', '/sessions', JSON.stringify({ user }));
      if (r.status !== 201) throw new Error(`POST /sessions answered ${show(r)}`);
      return { 'x-session': r.body.session as string };
    };
    const post = async (session: Record<string, string>, text: string): Promise<Doc> => {
      const r = await client.send('POST', '/documents', text, session);
      if (r.status !== 201) throw new Error(`POST /documents answered ${show(r)}`);
      return { id: r.body.id as string, chars: text.length };
    };
    const texts = Array.from({ length: 12 }, (_, i) => documentText(next, 80 + i * 40));
    let session = await newSession('ada');
    let docs: Doc[] = [];
    for (const text of texts) docs.push(await post(session, text));
    const load = async (count: number): Promise<void> => {
      let i = 0;
      const worker = async (): Promise<void> => {
        while (i < count) {
          const n = i++;
          const doc = docs[n % docs.length]!;
          const kind = n % 5;
          if (kind < 2) await client.send('GET', `/documents/${doc.id}/stats?rounds=${1 + (n % 7) * 500}`, '', session);
          else if (kind < 4 && python) await client.send('GET', `/documents/${doc.id}/summary`, '', session);
          else await client.send('GET', `/documents/${doc.id}`, '', session);
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
    };
    out.line('');
    out.line(`load: 1 session, ${docs.length} documents posted, then stats (threads) and summaries (Python) of them, 4 at a time`);
    await load(60);
    out.checkpoint();

    // ------------------------------------------------------------------ faults
    out.line('');
    out.line('faults, injected one at a time between rounds of load:');
    {
      const slow = client.send('GET', `/documents/${docs[0]!.id}/stats?rounds=2000000`, '', session);
      const killed = await admin.send('POST', '/faults/kill-stats-worker');
      const r = await slow;
      const after = await client.send('GET', `/documents/${docs[0]!.id}/stats`, '', session);
      fault(
        'a stats thread killed mid-request (its worker actor killed, which terminates the thread: a thread\'s SIGKILL)',
        `thread ${String(killed.body?.threadId)} ended under a 2,000,000-round digest; the pool started a replacement, the next stats request answered ${show(after)}`,
        r,
        '503 worker_exit',
      );
    }
    await load(20);
    {
      const big = await post(session, documentText(next, 250_000));
      const neighbour = client.send('GET', `/documents/${docs[1]!.id}/stats?rounds=100000`, '', session);
      const r = await client.send('GET', `/documents/${big.id}/stats?phrases=60`, '', session);
      const n = await neighbour;
      docs.push(big);
      fault(
        `an OOM job: the 60-word phrases of a ${(big.chars / 2 ** 20).toFixed(1)} MiB document, on a thread capped at 32 MiB`,
        `the thread ran out of heap and was ended; it ran that job alone, so its neighbour (a stats job meanwhile) answered ${show(n)}`,
        r,
        '507 oom',
      );
    }
    await load(20);
    if (python) {
      const before = await status();
      const r = await client.send('GET', `/documents/${docs[2]!.id}/summary`, '', { ...session, 'x-fault': 'python-crash' });
      const crashed = readdirSync(faultsDir).filter((f) => f.startsWith('crash-')).map((f) => Number(readFileSync(join(faultsDir, f), 'utf8')));
      const s = await status();
      fault(
        'a Python worker crashes (SIGSEGV) under a summary job',
        `pid ${crashed.join(', ')} died; the crash barrier tainted its slot and ran the (idempotent) job again on pid ${String(r.body?.pid)}; taints ${before.summary.taints} → ${s.summary.taints}, retries ${before.summary.retries} → ${s.summary.retries}`,
        r,
        '200',
      );
      await until(async () => (await status()).pythonPids.length === 2, 3_000);
      const pidsBefore: number[] = (await status()).pythonPids;
      const hung = await client.send('GET', `/documents/${docs[3]!.id}/summary`, '', { ...session, 'x-fault': 'python-hang' });
      await until(async () => {
        const now: number[] = (await status()).pythonPids;
        return now.length === 2 && now.some((p) => !pidsBefore.includes(p));
      }, 3_000);
      const pidsAfter: number[] = (await status()).pythonPids;
      fault(
        'a Python worker hangs (a regular expression backtracking inside re, holding the GIL)',
        `the job's 3 s deadline passed and it was cancelled; the worker could not stop, so the pool killed it after its cancel grace and started another (pids ${pidsBefore.join(', ')} → ${pidsAfter.join(', ')})`,
        hung,
        '504 timeout',
      );
      await load(20);
    }
    {
      const slow = client.send('GET', `/documents/${docs[4]!.id}/stats?rounds=2000000`, '', session);
      await until(async () => (await status()).stats.running > 0, 3_000);
      const killed = await admin.send('POST', '/faults/kill-manager?pool=stats');
      const r = await slow;
      const t0 = Date.now();
      const after = await client.send('GET', `/documents/${docs[4]!.id}/stats`, '', session);
      fault(
        'the stats pool\'s manager killed (system.exit(manager, \'kill\'))',
        `its pool supervisor (one_for_all) restarted manager ${String(killed.body?.killed)} and the workers with it; the next request waited for the pool and answered ${show(after)} in ${Date.now() - t0} ms`,
        r,
        '503 killed',
      );
    }
    await load(20);
    {
      const before = (await status()).http as string;
      await admin.send('POST', '/faults/kill-http');
      await until(async () => {
        const now = (await admin.send('GET', '/faults/status')).body;
        return now !== undefined && now.http !== undefined && now.http !== before;
      }, 5_000);
      const after = (await status()).http as string;
      const r = await client.send('GET', `/documents/${docs[6]!.id}`, '', session);
      fault(
        'the HTTP API actor itself killed (a request handler\'s actor)',
        `its supervisor restarted it on the same port (actor ${before} → ${after}); the sessions, the documents and the pools are other actors, untouched`,
        r,
        '200',
      );
    }
    await load(20);
    out.checkpoint();

    let survivedPoolFaults = 0;
    for (const doc of docs) {
      const r = await client.send('GET', `/documents/${doc.id}`, '', session);
      if (r.status === 200 && (r.body.text as string).length === doc.chars) survivedPoolFaults++;
    }
    out.line(`  nothing lost: ${survivedPoolFaults} of ${docs.length} documents still there (the table owner holds them; no pool or HTTP actor fault touches it)`);

    // ------------------------------------------------------------------ the whole service SIGKILLed
    out.line('');
    const pythonPids: number[] = python ? (await status()).pythonPids : [];
    let hang: Promise<Reply> | undefined;
    if (python) {
      hang = client.send('GET', `/documents/${docs[5]!.id}/summary`, '', { ...session, 'x-fault': 'python-hang' });
      await until(async () => (await status()).summary.running > 0, 3_000);
    }
    const oldPid = service.pid;
    service.kill('SIGKILL');
    await service.exited;
    const cut = hang === undefined ? undefined : await hang;
    if (python) await until(() => pythonPids.filter(alive).length <= 1, 2_000);
    const aliveAfterKill = pythonPids.filter(alive);
    out.line(`the whole service SIGKILLed (pid ${oldPid})${python ? ' while a summary hung in a Python worker' : ''}:`);
    out.line(
      python
        ? `  its Python workers ${pythonPids.join(', ')}: ${aliveAfterKill.length === 0 ? 'none still runs' : `${aliveAfterKill.join(', ')} ${aliveAfterKill.length === 1 ? 'still runs as an orphan' : 'still run as orphans'} (stuck, it cannot see its stdin close)`}${pythonPids.length > aliveAfterKill.length ? `; the idle one${pythonPids.length - aliveAfterKill.length > 1 ? 's' : ''} saw stdin close and exited` : ''}`
        : '  (no Python workers: nothing to orphan)',
    );
    if (cut !== undefined) out.line(`  the caller of the hung summary saw ${show(cut)}`);
    service = await ServiceProcess.start({ args, token, logs: logFile ?? 'inherit' });
    client.retarget(service.ready.port);
    admin.retarget(service.ready.port);
    const swept = service.ready.swept.map((o) => ({ pid: o.pid, outcome: o.outcome }));
    await until(() => pythonPids.every((p) => !alive(p)), 3_000);
    const leftAfterSweep = pythonPids.filter(alive);
    out.line(`  started again (pid ${service.pid}, port ${service.ready.port}): its process registry swept the dead run's ${swept.length} worker record${swept.length === 1 ? '' : 's'}: ${swept.map(sweptOutcome).join(', ') || 'none'}`);
    if (python) out.line(`  ${leftAfterSweep.length === 0 ? `pids ${pythonPids.join(', ')}: all gone` : `still running: ${leftAfterSweep.join(', ')}`}`);

    const stale = await client.send('GET', `/documents/${docs[0]!.id}`, '', session);
    out.line(`  the old session: ${show(stale)} (sessions are actors: they died with the process)`);
    session = await newSession('ada');
    let foundAfterRestart = 0;
    for (const doc of docs) if ((await client.send('GET', `/documents/${doc.id}`, '', session)).status === 200) foundAfterRestart++;
    const posted = docs.length;
    docs = [];
    for (const text of texts) docs.push(await post(session, text));
    out.line(`  the documents table is in memory: ${foundAfterRestart} of ${posted} documents survived the SIGKILL; ${docs.length} posted again`);
    await load(40);
    out.checkpoint();

    // ------------------------------------------------------------------ stop
    service.kill('SIGTERM');
    const stopped = await service.exited;
    await until(() => markedPids(token).length === 0, 5_000);
    const processesLeft = markedPids(token);
    out.done();
    const t = client.tally;
    return {
      python,
      sent: t.sent,
      answered: t.answered,
      ok: t.ok,
      failedBy: { ...t.failedBy },
      cutOff: t.cutOff,
      faults,
      documents: { posted, survivedPoolFaults, foundAfterRestart, repostedAfterRestart: docs.length },
      orphans: { pythonPids, aliveAfterKill, swept, leftAfterSweep },
      stopCode: stopped.code,
      processesLeft,
      logFile,
    };
  } finally {
    if (service !== undefined && service.child.exitCode === null && service.child.signalCode === null) {
      service.kill('SIGKILL');
      await service.exited;
    }
    for (const pid of markedPids(token)) process.kill(pid, 'SIGKILL'); // only after a failure: a normal run leaves none
    rmSync(dir, { recursive: true, force: true });
  }
}
