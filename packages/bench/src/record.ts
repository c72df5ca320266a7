/** Which way a workload's figure improves. */
export type Better = 'higher' | 'lower';

/**
 * A target for Arbor's figure: relative (`arbor / reference op value`, where the
 * reference is `limit` or a peer's name) or absolute (`arbor op value`, or
 * `record[of] op value` for one of the workload's extra figures).
 */
export interface TargetSpec {
  /** `'limit'`, a peer's name, or `'absolute'`. */
  readonly against: string;
  /** For an absolute target: the extra figure it bounds instead of `arbor` (e.g. `'p99'`). */
  readonly of?: string;
  readonly op: '>=' | '<=';
  /** The factor (relative) or the bound (absolute), in the workload's unit. */
  readonly value: number;
}

/** A target after the run: the compared figure and whether it holds. */
export interface TargetResult extends TargetSpec {
  /** `arbor / reference` (relative), or `arbor` or the `of` figure (absolute); null when the reference is missing. */
  readonly actual: number | null;
  readonly met: boolean;
}

/** What one workload reports: Arbor, the raw limit, the peers, all measured in the same run. */
export interface WorkloadRecord {
  /** Arbor's figure (null only when the workload could not run at all, e.g. no nats-server: its note says why). */
  readonly arbor: number | null;
  /** The raw Node limit for the same work, or null when there is none. */
  readonly limit: number | null;
  /** Peers' figures by name. */
  readonly peers: Readonly<Record<string, number>>;
  readonly unit: string;
  readonly better: Better;
  /** `arbor / reference` for the limit and each peer. */
  readonly ratios: Readonly<Record<string, number>>;
  readonly targets: readonly TargetResult[];
  /** Workload-specific figures (message counts, rounds, max, ...). */
  readonly [extra: string]: unknown;
}

/** Inputs of {@link makeRecord}. */
export interface RecordInput {
  readonly arbor: number;
  readonly limit: number | null;
  readonly peers: Readonly<Record<string, number>>;
  readonly unit: string;
  readonly better: Better;
  readonly targets: readonly TargetSpec[];
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** The figure an absolute target bounds: `arbor`, or the extra figure `of` (null unless it is a finite number). */
function absoluteFigure(input: RecordInput, of: string | undefined): number | null {
  if (of === undefined) return input.arbor;
  const v = input.extra?.[of];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Builds a workload record: computes the ratios and checks the targets. */
export function makeRecord(input: RecordInput): WorkloadRecord {
  const references: Record<string, number> = {};
  if (input.limit !== null) references['limit'] = input.limit;
  for (const [name, value] of Object.entries(input.peers)) references[name] = value;

  const ratios: Record<string, number> = {};
  for (const [name, value] of Object.entries(references)) {
    if (value > 0) ratios[name] = input.arbor / value;
  }

  const targets = input.targets.map((t): TargetResult => {
    const actual = t.against === 'absolute' ? absoluteFigure(input, t.of) : (ratios[t.against] ?? null);
    const met = actual !== null && (t.op === '>=' ? actual >= t.value : actual <= t.value);
    return { ...t, actual, met };
  });

  return {
    arbor: input.arbor,
    limit: input.limit,
    peers: { ...input.peers },
    unit: input.unit,
    better: input.better,
    ratios,
    targets,
    ...input.extra,
  };
}
