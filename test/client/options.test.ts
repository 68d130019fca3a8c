// Numeric options are checked when the client is made (or, for per-call options, before the
// call sends anything): NaN never ends a retry loop, NaN delays fire at once and hammer the
// service, and a zero or negative quota blocks every call forever.
import { describe, expect, it } from 'vitest';
import { createReferralsClient, type ReferralsClientOptions } from '../../src/index.js';
import { useEmulator } from './emulator-harness.js';

const start = useEmulator();

const BAD_COUNTS = [NaN, -1, Infinity, -Infinity, '3'];

describe('createReferralsClient', () => {
  const cases: [string, (v: unknown) => ReferralsClientOptions, min: number][] = [
    ['retry.maxRetries', (v) => ({ retry: { maxRetries: v as number } }), 0],
    ['retry.baseDelayMs', (v) => ({ retry: { baseDelayMs: v as number } }), 0],
    ['retry.maxDelayMs', (v) => ({ retry: { maxDelayMs: v as number } }), 0],
    ['retry.maxElapsedMs', (v) => ({ retry: { maxElapsedMs: v as number } }), 0],
    ['rateLimit.limit', (v) => ({ rateLimit: { limit: v as number } }), 1],
    ['rateLimit.windowMs', (v) => ({ rateLimit: { windowMs: v as number } }), 1],
  ];

  it.each(cases)('throws a TypeError naming %s when it is NaN, negative, infinite or not a number', (name, options, min) => {
    for (const bad of [...BAD_COUNTS, ...(min ? [0] : [])]) {
      expect(() => createReferralsClient(options(bad)), `${name} = ${String(bad)}`).toThrow(new TypeError(`${name} must be a finite number >= ${min}, got ${String(bad)}`));
    }
  });

  it('throws a TypeError naming timeoutMs when it is NaN or negative; Infinity means no practical limit', () => {
    for (const bad of [NaN, -1, -Infinity, 'soon']) {
      expect(() => createReferralsClient({ timeoutMs: bad as number })).toThrow(new TypeError(`timeoutMs must be a number >= 0, got ${bad}`));
    }
    expect(() => createReferralsClient({ timeoutMs: Infinity })).not.toThrow();
  });

  it('accepts the edge values, and undefined or null (which keep the default)', () => {
    expect(() =>
      createReferralsClient({
        timeoutMs: 0,
        retry: { maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0, maxElapsedMs: 0, random: undefined },
        rateLimit: { limit: 1, windowMs: 1 },
      }),
    ).not.toThrow();
    expect(() => createReferralsClient({ timeoutMs: undefined, retry: { maxRetries: undefined }, rateLimit: { limit: undefined, windowMs: undefined } })).not.toThrow();
    const nulls = null as unknown as undefined;
    expect(() => createReferralsClient({ timeoutMs: nulls, retry: { maxRetries: nulls, maxElapsedMs: nulls }, rateLimit: { limit: nulls, windowMs: nulls } })).not.toThrow();
  });
});

describe('per-call numeric options', () => {
  it('a bad per-call timeoutMs rejects with a TypeError before anything is sent', async () => {
    const { client, emulator } = start({ count: 1 });
    for (const bad of [NaN, -5]) {
      await expect(client.getAllReferrals(undefined, { timeoutMs: bad })).rejects.toThrow(new TypeError(`timeoutMs must be a number >= 0, got ${bad}`));
    }
    expect(emulator.requests).toHaveLength(0);
  });

  it('a bad updateReferral maxAttempts rejects with a TypeError before anything is sent, instead of retrying conflicts forever', async () => {
    const { client, emulator } = start({ count: 1 });
    const id = emulator.store.list()[0]!.id;
    for (const bad of [NaN, -1, 0, Infinity]) {
      await expect(client.updateReferral(id, (r) => void (r.name = 'x'), { maxAttempts: bad })).rejects.toThrow(
        new TypeError(`maxAttempts must be a finite number >= 1, got ${bad}`),
      );
    }
    expect(emulator.requests).toHaveLength(0);
  });
});
