import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PARTNER_CENTER_SCOPE, tokenSource } from '../../src/client/auth.js';

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

function fakeCredential(lifetimeMs: number, refreshAfterMs?: number) {
  let n = 0;
  const getToken = vi.fn(async (_scopes: string | string[]): Promise<AccessToken | null> => {
    n++;
    return { token: `t${n}`, expiresOnTimestamp: Date.now() + lifetimeMs, ...(refreshAfterMs ? { refreshAfterTimestamp: Date.now() + refreshAfterMs } : {}) };
  });
  return { credential: { getToken } as TokenCredential, getToken };
}

describe('tokenSource', () => {
  it('asks the credential for the Partner Center scope once, shares one request, refreshes two minutes early', async () => {
    const { credential, getToken } = fakeCredential(60 * 60_000);
    const source = tokenSource(credential, undefined);
    expect(await Promise.all([source.token(), source.token(), source.token()])).toEqual(['t1', 't1', 't1']);
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(getToken.mock.calls[0]![0]).toBe(PARTNER_CENTER_SCOPE);
    vi.setSystemTime(58 * 60_000 - 1);
    expect(await source.token()).toBe('t1');
    vi.setSystemTime(58 * 60_000);
    expect(await source.token()).toBe('t2');
  });

  it('honours refreshAfterTimestamp and drops the cache on invalidate', async () => {
    const { credential } = fakeCredential(60 * 60_000, 10_000);
    const source = tokenSource(credential, undefined);
    expect(await source.token()).toBe('t1');
    vi.setSystemTime(10_000);
    expect(await source.token()).toBe('t2');
    source.invalidate();
    expect(await source.token()).toBe('t3');
  });

  it('fails clearly when the credential returns null, and asks again next time', async () => {
    const getToken = vi.fn().mockResolvedValueOnce(null).mockResolvedValueOnce({ token: 'ok', expiresOnTimestamp: 1e13 });
    const source = tokenSource({ getToken }, undefined);
    await expect(source.token()).rejects.toThrow(/credential returned no access token/);
    expect(await source.token()).toBe('ok');
  });

  it('calls a getToken function every time, and sends nothing without either', async () => {
    let n = 0;
    const source = tokenSource(undefined, () => `f${++n}`);
    expect([await source.token(), await source.token()]).toEqual(['f1', 'f2']);
    expect(await tokenSource(undefined, undefined).token()).toBeUndefined();
  });
});
