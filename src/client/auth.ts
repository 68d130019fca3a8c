import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { abortable } from './abort.js';

/** The v2 scope of the Partner Center API (resource https://api.partner.microsoft.com). */
export const PARTNER_CENTER_SCOPE = 'https://api.partner.microsoft.com/.default';

/** Returns a bearer token (without the "Bearer " prefix). Called before every request; cache inside if it is costly. */
export type GetToken = () => string | Promise<string>;

/** Where the transport gets the bearer token of each request. */
export interface TokenSource {
  /** The token to send, or undefined to send no Authorization header. */
  token(signal?: AbortSignal): Promise<string | undefined>;
  /** Drops a cached credential token after a 401 so the next request asks again. */
  invalidate(): void;
}

/** Refresh this long (two minutes) before expiry, so a token never expires in flight. */
const EARLY_MS = 120_000;

/**
 * Bearer tokens from a TokenCredential (cached until its refresh time or two
 * minutes before expiry, one request in flight at a time) or from a plain
 * function. With neither, requests go out without Authorization, which suits
 * the emulator or a `fetch` that signs requests itself.
 */
export function tokenSource(credential: TokenCredential | undefined, getToken: GetToken | undefined): TokenSource {
  let cached: AccessToken | undefined;
  let pending: Promise<AccessToken> | undefined;
  const fresh = (t: AccessToken | undefined): t is AccessToken =>
    !!t && Date.now() < Math.min(t.refreshAfterTimestamp ?? Infinity, t.expiresOnTimestamp - EARLY_MS);

  return {
    async token(abortSignal) {
      if (!credential) return getToken?.();
      if (fresh(cached)) return cached.token;
      // Concurrent calls share one request, so no caller's signal may cancel it: an aborted caller only stops waiting.
      pending ??= credential
        .getToken(PARTNER_CENTER_SCOPE)
        .then((t) => {
          if (!t?.token) throw new Error(`The credential returned no access token for ${PARTNER_CENTER_SCOPE}`);
          return (cached = t);
        })
        .finally(() => (pending = undefined));
      return (await abortable(pending, abortSignal)).token;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
