/** The `arbor` process: runs the CLI with the process's arguments, output and environment. */
import { runCli } from './main.js';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
