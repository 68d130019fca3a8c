/** Median, min and max of repeated measurements, and per-run ratios between two series. */

export interface Stat {
  median: number;
  min: number;
  max: number;
  /** How many measurements the figure summarises. */
  runs: number;
}

export function summarize(samples: readonly number[]): Stat {
  if (!samples.length) throw new RangeError('summarize needs at least one sample');
  if (samples.some((s) => !Number.isFinite(s))) throw new RangeError(`summarize got a non-finite sample: ${samples.join(', ')}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: sorted.length };
}

/**
 * `a[i] / b[i]` for each run i. Ratios are taken run by run (A and B measured back to back)
 * and then summarised, so drift of a shared machine between runs cancels out.
 */
export function perRunRatios(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new RangeError(`ratio series differ in length: ${a.length} vs ${b.length}`);
  return a.map((x, i) => x / b[i]!);
}

/**
 * Runs every variant `runs` times, interleaved: run i goes A,B,C then the next run C,B,A, so
 * neither side always runs first (warm caches, GC debt). One discarded warm-up of each first.
 * Each variant resolves to one measurement (e.g. elapsed ms).
 */
export async function interleaved<K extends string>(
  runs: number,
  variants: Record<K, () => Promise<number>>,
  warmup = true,
): Promise<Record<K, number[]>> {
  const keys = Object.keys(variants) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  if (warmup) for (const k of keys) await variants[k]();
  for (let i = 0; i < runs; i++) {
    const order = i % 2 ? [...keys].reverse() : keys;
    for (const k of order) out[k].push(await variants[k]());
  }
  return out;
}

/**
 * Finer interleaving for comparisons on a busy machine: each variant is a session of small
 * steps (one request, one page), and the steps of all variants alternate (A B, B A, ...), so
 * load from other processes hits both sides alike. A step resolves false when its session is
 * done. Resolves to the total milliseconds each variant spent per run; one warm-up run first.
 */
export async function interleavedSteps<K extends string>(
  runs: number,
  sessions: Record<K, () => () => Promise<boolean>>,
  warmup = true,
): Promise<Record<K, number[]>> {
  const keys = Object.keys(sessions) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let run = warmup ? -1 : 0; run < runs; run++) {
    const steps = keys.map((k) => ({ k, step: sessions[k](), total: 0, done: false }));
    for (let round = 0; steps.some((s) => !s.done); round++) {
      for (const s of round % 2 ? [...steps].reverse() : steps) {
        if (s.done) continue;
        const t0 = performance.now();
        s.done = !(await s.step());
        s.total += performance.now() - t0;
      }
    }
    if (run >= 0) for (const s of steps) out[s.k].push(s.total);
  }
  return out;
}
