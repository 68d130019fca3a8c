/**
 * Property tests run with one fixed seed, so `npm test` gives the same result on every run.
 * FC_SEED=<integer> replays a seed (fast-check prints it with every counterexample);
 * FC_SEED=random explores a new one, printed so that its failures can be replayed.
 */
import { randomInt } from 'node:crypto';

/** The seed used when FC_SEED is not set. */
export const DEFAULT_SEED = 1616;

export function fastCheckSeed(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_SEED;
  if (value.trim().toLowerCase() === 'random') return randomInt(-(2 ** 31), 2 ** 31);
  const seed = Number(value);
  if (!Number.isSafeInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 31) {
    throw new Error(`FC_SEED must be a 32-bit integer or 'random', got '${value}'.`);
  }
  return seed;
}

export function describeSeed(seed: number, value: string | undefined): string {
  const how = value?.trim() ? `FC_SEED=${value.trim()}` : 'the default; FC_SEED=random explores another';
  return `fast-check seed ${seed} (${how}; FC_SEED=${seed} replays this run)`;
}
