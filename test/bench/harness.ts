/**
 * A small benchmark harness: each stage runs our code and, when it has one,
 * a peer (DuckDB on the same data) several times; the median of each is
 * reported as `name: value unit (ratio x)` with ratio = ours / peer.
 *
 * Adding a figure is adding one `Stage` to a list (see extra-stages.ts).
 */
export interface BenchContext {
  rows: number;
  /** Path of the generated users CSV. */
  csvPath: string;
  /** Values stages hand to later stages (the loaded table, member bitsets, …). */
  state: Map<string, unknown>;
}

export interface PeerRun {
  setup?(ctx: BenchContext, peer: PeerHandle): Promise<void>;
  run(ctx: BenchContext, peer: PeerHandle): Promise<void>;
}

/** What the peer stages get: a way to run SQL on one DuckDB connection. */
export interface PeerHandle {
  sql(query: string): Promise<Array<Record<string, unknown>>>;
}

export interface Stage {
  name: string;
  /** Runs per side; the median is reported (default 3). */
  runs?: number;
  /** Untimed runs per side before the timed ones (JIT and caches warm; default 0). */
  warmup?: number;
  /** Once before our timed runs. */
  setup?(ctx: BenchContext): Promise<void> | void;
  /** Before each of our timed runs, untimed (e.g. drop the previous run's result so memory can be reclaimed). */
  beforeEach?(ctx: BenchContext): void;
  ours(ctx: BenchContext): Promise<void> | void;
  /**
   * When the figure is not the duration of `ours` (e.g. the slowest answer seen
   * during a run), `ours` leaves it here and the harness reports it instead.
   */
  measured?(ctx: BenchContext): number;
  /** Once after our timed runs (e.g. to keep a result for later stages). */
  after?(ctx: BenchContext): Promise<void> | void;
  peer?: PeerRun;
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  ratio?: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

export async function timeRuns(runs: number, fn: () => Promise<void> | void, beforeEach?: () => void): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    beforeEach?.();
    collectGarbage();
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

export function formatFigure(f: Figure): string {
  const value = f.unit === 'ms' ? f.value.toFixed(1) : f.value.toFixed(0);
  const ratio = f.ratio === undefined ? '' : ` (${f.ratio.toFixed(f.ratio < 0.1 ? 3 : 2)}x)`;
  return `${f.name}: ${value} ${f.unit}${ratio}`;
}

export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
