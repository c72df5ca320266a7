/** The text of `arbor --help`. */
export const USAGE = `Usage: arbor <command> [options]

Commands:
  dump              print the live actor tree of a running Arbor application
  top               a live view of it: the top actors by mailbox, messages/s and memory,
                    the pools and the tree, redrawn in place (q or Ctrl-C quits); when
                    stdout is not a terminal, one plain block per sample
  observe           serve the live observer page of it on 127.0.0.1 and print its URL
                    (the URL holds the page's token); runs until Ctrl-C or SIGTERM

Options of dump, top and observe:
  --endpoint <e>    the application's DebugEndpoint: a Unix socket path, or 127.0.0.1:<port>
                    (default: $ARBOR_ENDPOINT, else the only arbor-<system>-<pid>.sock
                    socket in $TMPDIR/arbor-<uid>)
  --token-file <f>  read the token of a TCP endpoint from file <f> (- : standard input)
  --token <t>       the token itself; other local users can read it in the process list,
                    so prefer --token-file (default for both: $ARBOR_TOKEN, else the file
                    the endpoint wrote, $TMPDIR/arbor-<uid>/arbor-tcp-<port>.token)
  --timeout <ms>    how long to wait for each answer (default 5000)

Options of dump:
  --json            print the dump as JSON (one line) instead of a tree

Options of top:
  --interval <ms>   time between samples (default 1000, at least 200)
  --count <n>       exit 0 after n samples (default: until q; in a pipe, until the
                    endpoint goes away or SIGTERM)
  --limit <n>       rows in each top list (default: what fits the terminal; 5 in a pipe)

Options of observe:
  --port <n>        the page's port on 127.0.0.1 (default: a free one)
  --allow-control   let the page kill, restart, suspend and resume actors (each
                    confirmed in the page); off by default
  --open            open the URL in the default browser

  -h, --help        show this help

Exit codes: 0 done, 2 usage error or no dump (the reason is printed on stderr), 1 internal error.
arbor top exits 2 when its first sample fails, or when the endpoint goes away before --count
samples in a pipe; on a terminal it keeps retrying until q. arbor observe exits 2 when its
first dump fails, and 0 after Ctrl-C or SIGTERM.
`;
