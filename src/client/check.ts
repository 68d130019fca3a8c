/** A JSON object: not null, not an array. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * setTimeout for any delay: beyond 2^31−1 ms (about 24.8 days) Node and browsers would fire
 * after about 1 ms, so such a wait is cut to 2^31−1 ms instead.
 */
export const later = (fn: () => void, ms: number) => setTimeout(fn, Math.min(ms, 2 ** 31 - 1));

/**
 * Throws a TypeError naming the option unless `value` is undefined, null (both mean the default)
 * or a number of at least `min`, finite unless `infinite`: NaN or a negative count would
 * otherwise loop or hammer later.
 */
export function checkNumber(name: string, value: unknown, min = 0, infinite?: boolean): void {
  if (value != null && !((value as number) >= min && (infinite || Number.isFinite(value)))) {
    throw new TypeError(`${name} must be a ${infinite ? '' : 'finite '}number >= ${min}, got ${value}`);
  }
}
