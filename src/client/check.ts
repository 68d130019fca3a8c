/** A JSON object: not null, not an array. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * setTimeout for any delay: beyond 2^31−1 ms (about 24.8 days) Node and browsers would fire
 * after about 1 ms, so such a wait is cut to 2^31−1 ms instead.
 */
export const later = (fn: () => void, ms: number) => setTimeout(fn, Math.min(ms, 2 ** 31 - 1));
