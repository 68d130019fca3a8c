import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { errorFromResponse, ReferralsApiError, safeCause, scrub } from '../../src/client/errors.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl';
const OPAQUE = 'opaque-secret-token-123';

/** Every way a caller might print or ship an error. */
function renderings(err: unknown): string[] {
  const e = err as Error;
  return [String(e), e.message, e.stack ?? '', JSON.stringify(e), inspect(e, { depth: 10 }), inspect(e.cause, { depth: 10 })];
}

describe('errorFromResponse', () => {
  const ctx = { operation: 'GetReferralById', correlationId: 'c-1', requestId: 'r-1' };

  it('reads the Partner Center error body', () => {
    const body = { code: 'ReferralNotFound', description: 'Referral x was not found', data: [{ a: 1 }], source: 'PartnerReferrals' };
    const err = errorFromResponse(new Response(null, { status: 404 }), JSON.stringify(body), ctx);
    expect(err).toBeInstanceOf(ReferralsApiError);
    expect(err).toMatchObject({ name: 'ReferralsApiError', status: 404, ...body, operation: 'GetReferralById', correlationId: 'c-1', requestId: 'r-1' });
    expect(err.message).toBe('GetReferralById failed: 404 ReferralNotFound: Referral x was not found');
    expect(JSON.parse(JSON.stringify(err))).toEqual({ name: 'ReferralsApiError', message: err.message, ...body, status: 404, operation: 'GetReferralById', correlationId: 'c-1', requestId: 'r-1' });
  });

  it.each([
    ['truncated JSON', '{"code":"Internal', '{"code":"Internal'],
    ['HTML', '<html>Bad gateway</html>', '<html>Bad gateway</html>'],
    ['a JSON array', '[1]', '[1]'],
    ['an empty body', '', 'Bad Gateway'],
  ])('turns %s into an error with code Http<status>', (_, text, description) => {
    const err = errorFromResponse(new Response(null, { status: 502, statusText: 'Bad Gateway' }), text, { operation: 'GetAllReferrals' });
    expect(err).toMatchObject({ status: 502, code: 'Http502', description, data: [] });
  });

  it('falls back to the Request-ID answer header when the call sent no MS-RequestId', () => {
    const res = new Response(null, { status: 500, headers: { 'Request-ID': 'srv-9' } });
    expect(errorFromResponse(res, '', { operation: 'GetAllReferrals' }).requestId).toBe('srv-9');
  });

  it('scrubs a token the server echoes back from description, data, message, JSON and inspect', () => {
    const body = { code: 'Unauthorized', description: `bad header Authorization: Bearer ${OPAQUE}`, data: [{ header: `Bearer ${OPAQUE}`, raw: OPAQUE }] };
    const err = errorFromResponse(new Response(null, { status: 401 }), JSON.stringify(body), { ...ctx, token: OPAQUE });
    for (const text of renderings(err)) expect(text).not.toContain(OPAQUE);
    expect(err.description).toBe('bad header Authorization: Bearer [REDACTED]');
    expect(err.data).toEqual([{ header: 'Bearer [REDACTED]', raw: '[REDACTED]' }]);
    // Scrubbing works on the JSON text of data: escapes next to a token must survive.
    const tricky = { code: 'X', data: [`Bearer ${OPAQUE}"q\\`, { n: 1, list: [null, true] }] };
    const err2 = errorFromResponse(new Response(null, { status: 401 }), JSON.stringify(tricky), { ...ctx, token: 'unrelated' });
    expect(err2.data).toEqual(['Bearer [REDACTED]"q\\', { n: 1, list: [null, true] }]);
  });
});

it('copies only the documented fields, so a stray property of the init (a token) cannot leak', () => {
  const init = { status: 0, code: 'NetworkError', description: 'fetch failed', operation: 'GetAllReferrals', token: OPAQUE };
  const err = new ReferralsApiError(init);
  expect(err.message).toBe('GetAllReferrals failed: NetworkError: fetch failed');
  for (const text of renderings(err)) expect(text).not.toContain(OPAQUE);
});

it('scrubs a token that straddles the point where a raw body is cut short', () => {
  // 495 characters of HTML, then the token: cutting before scrubbing would keep its first characters.
  const text = `<html>${'x'.repeat(489)}${OPAQUE}</html>`;
  const err = errorFromResponse(new Response(null, { status: 502 }), text, { operation: 'GetAllReferrals', token: OPAQUE });
  for (const t of renderings(err)) expect(t).not.toContain(OPAQUE.slice(0, 5));
  expect(err.description).toBe(`<html>${'x'.repeat(489)}[REDACTED]`.slice(0, 500));
});

describe('scrub and safeCause', () => {
  it('removes the known token, Bearer values and any JWT', () => {
    expect(scrub(`x ${OPAQUE} y`, OPAQUE)).toBe('x [REDACTED] y');
    expect(scrub(`authorization: bearer abc.def`, undefined)).toBe('authorization: Bearer [REDACTED]');
    expect(scrub(`token=${TOKEN};`, undefined)).toBe('token=[REDACTED];');
  });

  it("keeps the service's own words after 'Bearer', which are no credential", () => {
    const hint = "The Authorization header is malformed; send 'Authorization: Bearer <access token>'.";
    expect(scrub(hint, 'Bearer abc')).toBe(hint);
    expect(scrub(`sent: Bearer ${OPAQUE}==, expected: Bearer <access token>`, undefined)).toBe('sent: Bearer [REDACTED], expected: Bearer <access token>');
    // A token of a few letters (the emulator takes any) is no secret: the text keeps its letters.
    expect(scrub('no complete answer within 1000 ms', 't')).toBe('no complete answer within 1000 ms');
  });

  it('rebuilds a cause chain without the token, keeping names and codes', () => {
    const inner = Object.assign(new Error(`socket hang up, headers { authorization: 'Bearer ${TOKEN}' }`), { code: 'ECONNRESET', headers: { authorization: `Bearer ${TOKEN}` } });
    const outer = new TypeError('fetch failed', { cause: inner });
    const err = new ReferralsApiError({ status: 0, code: 'NetworkError', description: 'fetch failed', operation: 'GetAllReferrals', cause: safeCause(outer, TOKEN) });
    for (const text of renderings(err)) expect(text).not.toContain(TOKEN);
    const cause = err.cause as Error & { cause: Error & { code: string } };
    expect(cause).toBeInstanceOf(Error);
    expect(cause.name).toBe('TypeError');
    expect(cause.cause.code).toBe('ECONNRESET');
    expect(cause.cause.message).toContain('socket hang up');
    expect(safeCause({ toString: () => `Bearer ${OPAQUE}` }, OPAQUE)).toEqual(new Error('Bearer [REDACTED]'));
  });
});
