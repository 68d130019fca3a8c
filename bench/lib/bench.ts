/** What every benchmark module exports: `run(ctx)` resolving to its part of the report. */
import type { Section } from './report.js';

export interface BenchContext {
  /** `--quick`: fewer and shorter runs, for trying the harness; figures are not written to BENCHMARKS.md. */
  quick: boolean;
  /** A fresh folder under os.tmpdir() for this benchmark, removed afterwards. */
  tmpDir: string;
  /** Progress on stderr (stdout carries the final table). */
  log(message: string): void;
}

export type BenchResult = Pick<Section, 'setup' | 'rows' | 'notes'>;

export type Bench = (ctx: BenchContext) => Promise<BenchResult>;
