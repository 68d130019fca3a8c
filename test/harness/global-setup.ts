/** Runs once in Vitest's main process: picks the fast-check seed, prints it, hands it to every file. */
import type { TestProject } from 'vitest/node';
import { describeSeed, fastCheckSeed } from './fast-check-seed.js';

declare module 'vitest' {
  export interface ProvidedContext {
    fastCheckSeed: number;
  }
}

export default function setup(project: TestProject): void {
  const seed = fastCheckSeed(process.env.FC_SEED);
  console.log(describeSeed(seed, process.env.FC_SEED));
  project.provide('fastCheckSeed', seed);
}
