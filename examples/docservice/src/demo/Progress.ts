/**
 * The demo's output: story lines, and one progress line that a terminal shows rewritten in
 * place under them (`\r` and erase-line); elsewhere (a pipe, CI) the progress is printed
 * as a plain line only when asked (`checkpoint`), so logs stay readable.
 */

/**
 * @example
 * const out = new Progress(process.stdout);
 * out.line('fault → what happened → what the caller saw');
 * out.update('requests 12 sent, 12 answered');
 */
export class Progress {
  #status = '';
  readonly #tty: boolean;

  constructor(private readonly stream: NodeJS.WriteStream) {
    this.#tty = stream.isTTY === true;
  }

  /** A story line (above the progress line on a terminal). */
  line(text: string): void {
    if (this.#tty) this.stream.write(`\r\x1b[2K${text}\n${this.#status}`);
    else this.stream.write(`${text}\n`);
  }

  /** The progress line, rewritten in place on a terminal (and not printed elsewhere). */
  update(status: string): void {
    this.#status = status;
    if (this.#tty) this.stream.write(`\r\x1b[2K${status}`);
  }

  /** Prints the progress as a plain line where it is not shown in place. */
  checkpoint(): void {
    if (!this.#tty) this.stream.write(`  ${this.#status}\n`);
  }

  /** Ends the progress line (a terminal keeps its last state). */
  done(): void {
    if (this.#tty) this.stream.write('\n');
    this.#status = '';
  }
}
