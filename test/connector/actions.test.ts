/**
 * Each operation of the built package once, through the runtime against the emulator; the
 * deal-registration routing; paging with the Pagination setting; 412 and 429 as a flow sees them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlowInputError, FlowRunError } from '../../src/connector-runtime/index.js';
import { referralInput, registration, routesOf, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

async function create(conn: ReturnType<Harness['connect']>, name: string): Promise<Record<string, any>> {
  const res = await conn.invoke('CreateReferral', { body: referralInput(name) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Record<string, any>;
}

describe('every operation once', () => {
  beforeEach(async () => {
    h = await startHarness({ count: 3 });
  });

  it('runs all eight operations and sends what the service expects, with the connection token', async () => {
    const conn = h.connect();
    const created = await create(conn, 'Contoso migration');
    const id = created.id as string;

    const list = await conn.invoke('GetAllReferrals', { $top: 2 });
    expect(list.status).toBe(200);
    expect((list.body as any).value).toHaveLength(2);

    const one = await conn.invoke('GetReferralById', { id });
    expect(one.status).toBe(200);
    expect((one.body as any).name).toBe('Contoso migration');

    const patched = await conn.invoke('PatchReferralById', { id, body: [{ op: 'replace', path: '/details/dealValue', value: 75000 }] });
    expect(patched.status).toBe(204);

    const fresh = (await conn.invoke('GetReferralById', { id })).body as any;
    const put = await conn.invoke('UpdateReferralById', { id, 'If-Match': fresh.eTag, body: { ...fresh, name: 'Contoso migration v2' } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);

    const reg = await conn.invoke('CreateDealRegistrationByReferralId', { id, body: [{ value: registration }] });
    expect(reg.status, JSON.stringify(reg.body)).toBe(204);
    const regPatch = await conn.invoke('PatchDealRegistrationByReferralId', { id, body: [{ op: 'replace', path: '/registrations/0/contract/value', value: 130000 }] });
    expect(regPatch.status, JSON.stringify(regPatch.body)).toBe(204);

    expect(routesOf(h.received)).toEqual([
      'POST /referrals',
      'GET /referrals',
      `GET /referrals/${id}`,
      `PATCH /referrals/${id}`,
      `GET /referrals/${id}`,
      `PUT /referrals/${id}`,
      `PATCH /referrals/${id}`,
      `PATCH /referrals/${id}`,
    ]);
    for (const x of h.received) expect(x.request.headers.authorization).toBe('Bearer flow-connection-token');
    const final = (await conn.invoke('GetReferralById', { id })).body as any;
    expect(final.registrations[0].contract.value).toBe(130000);
  });

  it('sends both deal-registration actions as PATCH /referrals/{id} with a JSON Patch body, internal op and path filled', async () => {
    const conn = h.connect();
    const { id } = await create(conn, 'Fabrikam deal');
    h.received.length = 0;
    await conn.invoke('CreateDealRegistrationByReferralId', { id, body: [{ value: registration }] });
    await conn.invoke('PatchDealRegistrationByReferralId', { id, body: [{ op: 'replace', path: '/registrations/0/contract/startDateTime', value: '2026-08-01T00:00:00Z' }] });
    expect(routesOf(h.received)).toEqual([`PATCH /referrals/${id}`, `PATCH /referrals/${id}`]);
    const [add, replace] = h.received.map((x) => JSON.parse(x.request.body!));
    expect(add).toEqual([{ op: 'add', path: '/registrations/-', value: registration }]);
    expect(replace).toEqual([{ op: 'replace', path: '/registrations/0/contract/startDateTime', value: '2026-08-01T00:00:00Z' }]);
    expect(h.received[0]!.request.headers['content-type']).toMatch(/^application\/json/);
  });

  it('refuses a missing required input or one of the wrong type before sending anything', async () => {
    const conn = h.connect();
    h.received.length = 0;
    await expect(conn.invoke('GetReferralById', {})).rejects.toThrow(new FlowInputError('GetReferralById', 'id', 'is required'));
    await expect(conn.invoke('GetAllReferrals', { $top: 'ten' })).rejects.toThrow("GetAllReferrals: input '$top' must be an integer, got string");
    await expect(conn.invoke('CreateReferral', { body: { ...referralInput('x'), name: 42 } })).rejects.toThrow("CreateReferral: input 'body.name' must be a string, got integer");
    await expect(conn.invoke('GetReferralById', { id: 'a', top: 1 })).rejects.toThrow("input 'top' is not a parameter");
    // null only where the swagger says x-nullable (name is not; externalReferenceId is).
    await expect(conn.invoke('CreateReferral', { body: { ...referralInput('x'), name: null } })).rejects.toThrow("CreateReferral: input 'body.name' must be a string, got null");
    expect(h.received).toEqual([]);
  });

  it("refuses a body outside its schema's constraints before sending anything (schemathesis: the one-registration action sent two)", async () => {
    const conn = h.connect();
    const { id } = await create(conn, 'Constraints');
    h.received.length = 0;
    // maxItems 1: sent anyway, the second add would reach the service (a 409 there, after its If-Match check).
    await expect(conn.invoke('CreateDealRegistrationByReferralId', { id, body: [{ value: registration }, { value: registration }] })).rejects.toThrow(
      new FlowInputError('CreateDealRegistrationByReferralId', 'body', 'must hold at most 1 item, got 2'),
    );
    // pattern ^/registrations/: otherwise "Update a deal registration" could change any field of the referral.
    await expect(conn.invoke('PatchDealRegistrationByReferralId', { id, body: [{ op: 'replace', path: '/name', value: 'Renamed' }] })).rejects.toThrow(
      new FlowInputError('PatchDealRegistrationByReferralId', 'body[0].path', "must match ^/registrations/, got '/name'"),
    );
    // enum: an internal property the caller sets anyway still has to be one of its values.
    await expect(conn.invoke('CreateDealRegistrationByReferralId', { id, body: [{ op: 'remove', value: registration }] })).rejects.toThrow(
      new FlowInputError('CreateDealRegistrationByReferralId', 'body[0].op', "must be one of 'add', got 'remove'"),
    );
    expect(h.received).toEqual([]);
  });

  it('passes null where the swagger marks a field x-nullable (schemathesis found the runtime refusing it)', async () => {
    const conn = h.connect();
    const body = { ...referralInput('Nullable'), externalReferenceId: null, trackingInfo: { microsoftMsxId: null } };
    const res = await conn.invoke('CreateReferral', { body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(JSON.parse(h.received.at(-1)!.request.body!)).toMatchObject({ externalReferenceId: null, trackingInfo: { microsoftMsxId: null } });
  });
});

describe('GetAllReferrals with Pagination on', () => {
  it('collects all N referrals across pages through the connector host', async () => {
    h = await startHarness({ count: 250 });
    const conn = h.connect();
    const res = await conn.invokeAll('GetAllReferrals', {}, { threshold: 5000 });
    expect(res.status).toBe(200);
    const ids = (res.body as any).value.map((r: any) => r.id);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect(res.pages).toBe(3);
    // Pages 2 and 3 reached the emulator as ordinary list calls carrying the skip token.
    expect(routesOf(h.received)).toEqual(['GET /referrals', 'GET /referrals', 'GET /referrals']);
    expect(h.received.slice(1).every((x) => new URL(x.request.url).searchParams.has('$skiptoken'))).toBe(true);
  });

  it('stops after the page that reaches the threshold, keeping whole pages (Logic Apps pagination)', async () => {
    h = await startHarness({ count: 250 });
    const res = await h.connect().invokeAll('GetAllReferrals', {}, { threshold: 150 });
    expect((res.body as any).value).toHaveLength(200);
    expect(res.pages).toBe(2);
  });

  it('rewrites the backend next link onto the connector host (updatenextlink)', async () => {
    h = await startHarness({ count: 120 });
    const conn = h.connect({ connectorBaseUrl: 'https://flow.example/apim/referrals/conn-1' });
    const page = await conn.invoke('GetAllReferrals', {});
    expect((page.body as any)['@odata.nextLink']).toMatch(/^https:\/\/flow\.example\/apim\/referrals\/conn-1\/referrals\?\$skiptoken=/);
  });
});

describe('errors as the flow sees them', () => {
  it('412: a stale If-Match fails the action with the service answer', async () => {
    h = await startHarness();
    const conn = h.connect();
    const { id } = await create(conn, 'Stale');
    const res = await conn.invoke('PatchReferralById', { id, 'If-Match': '"stale"', body: [{ op: 'replace', path: '/details/dealValue', value: 1 }] });
    expect(res.status).toBe(412);
    expect(res.body).toMatchObject({ code: expect.any(String), description: expect.stringMatching(/eTag|If-Match|changed/i) });
    expect(h.received.at(-1)!.request.headers['if-match']).toBe('"stale"');
  });

  it("429 from the connection's own limit: 100 calls per 60 s, the 101st refused without reaching the service", async () => {
    h = await startHarness({ count: 1 });
    const conn = h.connect();
    for (let i = 0; i < 100; i++) expect((await conn.invoke('GetAllReferrals', { $top: 1 })).status).toBe(200);
    h.clock.advance(59_000);
    const refused = await conn.invoke('GetAllReferrals', { $top: 1 });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toEqual({ statusCode: 429, message: 'Rate limit is exceeded. Try again in 1 seconds.' });
    expect(h.received).toHaveLength(100);
    h.clock.advance(1_000);
    expect((await conn.invoke('GetAllReferrals', { $top: 1 })).status).toBe(200);
    expect(h.received).toHaveLength(101);
  });

  it("429 from the service passes through with its Retry-After", async () => {
    h = await startHarness({ count: 1 });
    h.emulator.injectFault({ kind: 429, retryAfterSeconds: 7 });
    const res = await h.connect().invoke('GetAllReferrals', {});
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(h.received).toHaveLength(1);
  });

  it('a next link on another host stops the run instead of leaving the connector', async () => {
    h = await startHarness({ count: 1 });
    await expect(h.connect().follow('https://api.partner.microsoft.com/v1.0/engagements/referrals?$skiptoken=x')).rejects.toThrow(FlowRunError);
    expect(h.received).toEqual([]);
  });
});
