/** The text of `arbor --help`. */
export const USAGE = `Usage: arbor <command> [options]

Commands:
  dump              print the live actor tree of a running Arbor application

Options of dump:
  --json            print the dump as JSON (one line) instead of a tree
  --endpoint <e>    the application's DebugEndpoint: a Unix socket path, or 127.0.0.1:<port>
                    (default: $ARBOR_ENDPOINT, else the only arbor-<system>-<pid>.sock
                    socket in $TMPDIR/arbor-<uid>)
  --token-file <f>  read the token of a TCP endpoint from file <f> (- : standard input)
  --token <t>       the token itself; other local users can read it in the process list,
                    so prefer --token-file (default for both: $ARBOR_TOKEN, else the file
                    the endpoint wrote, $TMPDIR/arbor-<uid>/arbor-tcp-<port>.token)
  --timeout <ms>    how long to wait for the answer (default 5000)

  -h, --help        show this help

Exit codes: 0 done, 2 usage error or no dump (the reason is printed on stderr), 1 internal error.
`;
