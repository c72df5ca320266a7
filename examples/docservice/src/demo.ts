/**
 * `npm run demo`: runs the document service as a child process, drives a scripted load
 * against its HTTP API, injects faults, SIGKILLs and restarts it, and prints a summary
 * (exit 0 when every fault went as the summary says). `--verbose` shows the service's
 * logs instead of writing them to a file; `--summary-json PATH` also writes the summary
 * as JSON (the smoke test reads it).
 *
 * `npm run demo -- --serve`: starts the service and keeps it running, printing its
 * address and the `arbor dump` / `arbor top` commands to try; Ctrl-C stops it.
 */
import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { runDemo, sweptOutcome, type DemoSummary } from './demo/scenario.js';
import { DEMO_MARKER, ServiceProcess } from './demo/ServiceProcess.js';
import { Progress } from './demo/Progress.js';
import { runClusterPart, type ClusterSummary } from './demo/clusterPart.js';

const argv = process.argv.slice(2);
const jsonAt = argv.indexOf('--summary-json');

/** Why the script's own checks see some error codes (the faults' codes are in their lines). */
const NOTES: Readonly<Record<string, string>> = {
  not_found: 'the old document ids, asked after the restart',
  no_session: 'the old session, after the restart',
};

function codes(failedBy: Readonly<Record<string, number>>): string {
  const entries = Object.entries(failedBy).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? 'none' : entries.map(([code, n]) => `${code} ${n}${NOTES[code] !== undefined ? ` (${NOTES[code]})` : ''}`).join(', ');
}


function printSummary(s: DemoSummary, cluster: ClusterSummary): boolean {
  const asExpected = s.faults.every((f) => f.asExpected);
  const allAnswered = s.answered + s.cutOff === s.sent;
  const orphansGone = s.orphans.leftAfterSweep.length === 0;
  console.log('');
  console.log('summary');
  console.log(`  requests: ${s.sent} sent, ${s.answered} answered (${s.ok} ok; failed with typed errors: ${codes(s.failedBy)}), ${s.cutOff} cut off by the service's SIGKILL`);
  console.log(`  every request got an answer${s.cutOff > 0 ? ` but the ${s.cutOff} in flight when the whole service was SIGKILLed (connection reset)` : ''}: ${allAnswered ? 'yes' : 'NO'}`);
  for (const f of s.faults) console.log(`  ${f.asExpected ? 'ok  ' : 'FAIL'} ${f.fault}: ${f.callerSaw}`);
  console.log(`  documents: ${s.documents.survivedPoolFaults} of ${s.documents.posted} survived every pool fault; the in-memory table lost ${s.documents.posted - s.documents.foundAfterRestart} with the SIGKILLed process (${s.documents.repostedAfterRestart} posted again)`);
  console.log(
    `  orphans: ${s.orphans.aliveAfterKill.length} Python worker${s.orphans.aliveAfterKill.length === 1 ? '' : 's'} outlived the SIGKILL; the restart's sweep: ${s.orphans.swept.map(sweptOutcome).join(', ') || 'nothing to do'}; ${orphansGone ? 'none left' : `left: ${s.orphans.leftAfterSweep.join(', ')}`}`,
  );
  console.log(`  stopped with SIGTERM: exit code ${String(s.stopCode)}; processes of this run left: ${s.processesLeft.length === 0 ? 'none' : s.processesLeft.join(', ')}`);
  if (cluster.ran) {
    console.log(
      `  ${cluster.asExpected ? 'ok  ' : 'FAIL'} cluster: the child on ${cluster.firstOn} restarted on ${cluster.restartedOn} after its node was SIGKILLed (nodedown in ${cluster.nodedownMs} ms, restarted ${cluster.restartMs} ms later); processes left: ${cluster.processesLeft.length === 0 ? 'none' : cluster.processesLeft.join(', ')}`,
    );
  } else console.log(`  cluster part skipped: ${cluster.why} (apt-get install -y nats-server)`);
  if (s.logFile !== undefined) console.log(`  the service's logs (JSON lines): ${s.logFile}`);
  const clusterOk = !cluster.ran || (cluster.asExpected && cluster.processesLeft.length === 0);
  return clusterOk && asExpected && allAnswered && orphansGone && s.stopCode === 0 && s.processesLeft.length === 0 && s.documents.survivedPoolFaults === s.documents.posted;
}

async function serve(): Promise<void> {
  const service = await ServiceProcess.start({ args: ['--observer'], token: randomUUID(), logs: 'inherit', detached: true });
  const { port, endpoint, observerUrl, python } = service.ready;
  console.log(`docservice runs (pid ${service.pid}): http://127.0.0.1:${port}`);
  if (observerUrl !== null) console.log(`observer (open it in a browser on this machine): ${observerUrl}`);
  if (!python) console.log('python3 is not on the PATH: summaries answer 503 python_missing (install it: apt-get install python3)');
  console.log('');
  console.log('try:');
  console.log(`  npx arbor dump --endpoint ${endpoint}`);
  console.log(`  npx arbor top --endpoint ${endpoint}`);
  console.log(`  npx arbor observe --endpoint ${endpoint} --allow-control    # the observer with kill/restart/suspend buttons`);
  console.log(`  curl -s -XPOST http://127.0.0.1:${port}/sessions                                # -> {"session":"s-..."}`);
  console.log(`  curl -s -XPOST -H 'x-session: s-...' --data-binary @README.md http://127.0.0.1:${port}/documents`);
  console.log(`  curl -s -H 'x-session: s-...' http://127.0.0.1:${port}/documents/doc-.../stats`);
  console.log(`  curl -s -H 'x-session: s-...' http://127.0.0.1:${port}/documents/doc-.../summary`);
  console.log('');
  console.log('Ctrl-C stops it. Its logs go to stderr (ARBOR_LOG_LEVEL=debug shows every start and stop).');
  // The service runs in its own process group: the first Ctrl-C (or SIGTERM) is passed on once, as SIGTERM.
  let stopping = false;
  const stop = (): void => {
    if (!stopping) service.kill('SIGTERM');
    stopping = true;
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const { code, signal } = await service.exited;
  console.log(`docservice stopped (${signal ?? `exit code ${String(code)}`})`);
  process.exitCode = code ?? 1;
}

try {
  if (argv.includes('--serve')) await serve();
  else {
    const token = process.env[DEMO_MARKER] ?? randomUUID();
    const summary = await runDemo(process.stdout, { verbose: argv.includes('--verbose'), token });
    const cluster = await runClusterPart(new Progress(process.stdout), token);
    if (jsonAt !== -1 && argv[jsonAt + 1] !== undefined) writeFileSync(argv[jsonAt + 1]!, JSON.stringify({ ...summary, cluster }, null, 2));
    if (!printSummary(summary, cluster)) process.exitCode = 1;
  }
} catch (error) {
  console.error('the demo failed:', error);
  process.exitCode = 1;
}
