/**
 * A FIFO ring of jobs, O(1) at both ends (an `Array.shift` queue loses half its throughput
 * at 100k queued: pools.md). A job removed early (killed, timed out) stays in place marked
 * settled and is skipped when it reaches the head; `size` counts only live ones. @internal
 */
export class JobQueue<T extends { readonly settled: boolean }> {
  #buf: (T | undefined)[] = new Array(16);
  #head = 0;
  #tail = 0;
  #size = 0;

  /** Live (unsettled) jobs queued. */
  get size(): number {
    return this.#size;
  }

  push(job: T): void {
    if (this.#tail - this.#head === this.#buf.length) this.#grow();
    this.#buf[this.#tail++ & (this.#buf.length - 1)] = job;
    this.#size++;
  }

  /** Puts a job back at the head (a retry, a job whose worker vanished before it started). */
  unshift(job: T): void {
    if (this.#tail - this.#head === this.#buf.length) this.#grow();
    this.#head--;
    this.#buf[this.#head & (this.#buf.length - 1)] = job;
    this.#size++;
  }

  /** The first live job, removed; undefined when none. */
  shift(): T | undefined {
    while (this.#head < this.#tail) {
      const i = this.#head++ & (this.#buf.length - 1);
      const job = this.#buf[i]!;
      this.#buf[i] = undefined;
      if (!job.settled) {
        this.#size--;
        return job;
      }
    }
    return undefined;
  }

  /** Tells the queue one of its jobs was settled in place (it will be skipped). */
  dropped(): void {
    this.#size--;
  }

  /** Every live job, oldest first (for sweeps and flush). */
  *live(): IterableIterator<T> {
    for (let k = this.#head; k < this.#tail; k++) {
      const job = this.#buf[k & (this.#buf.length - 1)];
      if (job !== undefined && !job.settled) yield job;
    }
  }

  #grow(): void {
    const old = this.#buf;
    const next: (T | undefined)[] = new Array(old.length * 2);
    const n = this.#tail - this.#head;
    for (let k = 0; k < n; k++) next[k] = old[(this.#head + k) & (old.length - 1)];
    this.#buf = next;
    this.#head = 0;
    this.#tail = n;
  }
}
