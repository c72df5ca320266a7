import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A nats-server started by a test: its client URL, pid and temp dir. */
export interface NatsServer {
  /** `nats://127.0.0.1:PORT` (a random free port picked by the server). */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** The temp dir holding the config, the JetStream store and the log. */
  readonly dir: string;
  /** `nats://127.0.0.1:PORT` where it listens for routes (with `cluster` only). */
  readonly routeUrl: string | undefined;
  /** `http://127.0.0.1:PORT` of its monitoring endpoints (`/varz`, `/routez`, `/connz`; with `monitoring` only). */
  readonly monitorUrl: string | undefined;
  /** False once the process has exited (killed, stopped or crashed). */
  readonly running: boolean;
  /** The server's log so far (stdout and stderr). */
  log(): string;
  /** Sends a signal to the server by pid (SIGKILL to crash it, SIGSTOP/SIGCONT to freeze it). */
  signal(sig: NodeJS.Signals): void;
  /** Stops the server by pid (SIGTERM, then SIGKILL after 3 s), waits for its exit and removes its dir. */
  stop(): Promise<void>;
}

/** Options of {@link startNatsServer}. */
export interface NatsServerOptions {
  /** JetStream on, with its store in the temp dir (default true). */
  readonly jetstream?: boolean;
  /** Config lines appended as they are (cluster routes, accounts, ...). */
  readonly extraConfig?: string;
  /** Max wait for the server to report its port (default 10 s). */
  readonly startTimeoutMs?: number;
  /** `server_name` (JetStream in a cluster needs a unique one per server). */
  readonly serverName?: string;
  /** The monitoring endpoint on a random 127.0.0.1 port (`monitorUrl`; default false). */
  readonly monitoring?: boolean;
  /**
   * Routes: a cluster listener on 127.0.0.1 (`routeUrl`; on `port`, or a random one), the routes to
   * solicit (`nats-route://127.0.0.1:PORT`), and the route URL told to the other servers
   * (`advertise`, `127.0.0.1:PORT`: a proxy in front of this server, say).
   */
  readonly cluster?: { readonly name: string; readonly port?: number; readonly routes?: readonly string[]; readonly advertise?: string };
}

interface PortsFile {
  readonly nats?: string[];
  readonly monitoring?: string[];
  readonly cluster?: string[];
}

/** True when `nats-server` is on PATH (Debian: `apt-get install -y nats-server`). */
export function hasNatsServer(): boolean {
  return spawnSync('nats-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts `nats-server` on a random 127.0.0.1 port (JetStream in a temp dir); the port is read
 * from the server's ports file, so no port is guessed. Stop it with `stop()`.
 *
 * @example
 * const server = await startNatsServer();
 * try { await connect({ servers: server.url }); } finally { await server.stop(); }
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'arbor-nats-'));
  const lines = ['listen: 127.0.0.1:-1', `ports_file_dir: "${dir}"`];
  if (options.serverName !== undefined) lines.push(`server_name: ${JSON.stringify(options.serverName)}`);
  if (options.monitoring === true) lines.push('http: 127.0.0.1:-1');
  if (options.cluster !== undefined) {
    const { name, port = -1, routes = [], advertise } = options.cluster;
    lines.push(`cluster {`, `  name: ${JSON.stringify(name)}`, `  listen: 127.0.0.1:${port}`);
    if (advertise !== undefined) lines.push(`  advertise: ${JSON.stringify(advertise)}`);
    lines.push(`  routes: [${routes.map((r) => JSON.stringify(r)).join(', ')}]`, '}');
  }
  if (options.jetstream !== false) lines.push(`jetstream { store_dir: "${join(dir, 'js')}" }`);
  if (options.extraConfig !== undefined) lines.push(options.extraConfig);
  const conf = join(dir, 'nats.conf');
  writeFileSync(conf, lines.join('\n') + '\n');
  const child: ChildProcess = spawn('nats-server', ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const pid = child.pid;
  const stop = async (): Promise<void> => {
    if (!gone && pid !== undefined) {
      try {
        process.kill(pid, 'SIGCONT');
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  if (pid === undefined) {
    await stop();
    throw new Error('nats-server did not start: is it installed? (apt-get install -y nats-server)');
  }
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  for (;;) {
    const file = readdirSync(dir).find((f) => f.endsWith(`_${pid}.ports`));
    if (file !== undefined) {
      try {
        const ports = JSON.parse(readFileSync(join(dir, file), 'utf8')) as PortsFile;
        const url = ports.nats?.[0];
        const routeUrl = options.cluster === undefined ? undefined : ports.cluster?.[0];
        const monitorUrl = options.monitoring === true ? ports.monitoring?.[0] : undefined;
        // every listener asked for must be in the file: else read it again
        if (url === undefined || (options.cluster !== undefined && routeUrl === undefined) || (options.monitoring === true && monitorUrl === undefined)) {
          throw new Error('ports file not complete yet');
        }
        const port = Number(new URL(url).port);
        return {
          url,
          port,
          pid,
          dir,
          routeUrl,
          monitorUrl,
          get running() {
            return !gone;
          },
          log: () => log,
          signal: (sig) => {
            if (!gone) process.kill(pid, sig);
          },
          stop,
        };
      } catch {
        /* written partly (or not every listener yet): read again */
      }
    }
    if (gone || Date.now() > deadline) {
      await stop();
      throw new Error(`nats-server did not report its port: ${log.slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
