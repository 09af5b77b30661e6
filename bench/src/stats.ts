/** Latency samples, percentiles and the tables the benchmark prints. */

export interface Summary {
  readonly n: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly mean: number
  readonly max: number
}

/** Nearest-rank percentile of sorted samples. */
const percentile = (sorted: ReadonlyArray<number>, q: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!

export const summarize = (samples: ReadonlyArray<number>): Summary => {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
    max: sorted[sorted.length - 1] ?? Number.NaN
  }
}

export interface MeasureOptions {
  /** Calls made and thrown away first (caches, JIT, statement preparation). */
  readonly warmup: number
  readonly iterations: number
  /** Stop early (after at least `minIterations`) once this much time went into measured calls. */
  readonly budgetMs?: number
  readonly minIterations?: number
}

/** Times `run(i)` sequentially: warm-up calls, then up to `iterations` measured ones (milliseconds). */
export const measure = async (run: (i: number) => Promise<unknown>, options: MeasureOptions): Promise<Array<number>> => {
  for (let i = 0; i < options.warmup; i++) await run(i)
  const samples: Array<number> = []
  const started = performance.now()
  for (let i = 0; i < options.iterations; i++) {
    const t = performance.now()
    await run(options.warmup + i)
    samples.push(performance.now() - t)
    if (options.budgetMs !== undefined && samples.length >= (options.minIterations ?? 1) && performance.now() - started > options.budgetMs) break
  }
  return samples
}

/** Milliseconds, to about three significant digits (thousands separated). */
export const ms = (value: number): string =>
  Number.isNaN(value)
    ? "–"
    : value >= 100
      ? Math.round(value).toLocaleString("en-US")
      : value >= 10
        ? value.toFixed(1)
        : value.toFixed(2)

export const ratio = (value: number): string => (Number.isFinite(value) ? `${value >= 10 ? value.toFixed(0) : value.toFixed(1)}×` : "–")

/** A Markdown table (it reads in a terminal too). */
export const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`
  return [line(header), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...rows.map(line)].join("\n")
}
