/**
 * Contract: the emulator and the spec cannot drift apart. Every response any emulator test
 * produces is validated against the spec (helpers.ts); this file drives every operation into
 * every status code the emulator can send and checks that the set covers:
 * - each (operation, status) pair listed below, all declared by the spec for that operation;
 * - every status code the core's source can construct (read from the source, so a new error
 *   path without a contract scenario fails here);
 * - the connector-only operations (deal registrations, trigger): Power Platform routes them to
 *   the real operations (apiProperties.json), so their requests are sent the routed way and the
 *   answers checked against what the spec declares for the connector operation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import apiProperties from '../../apiProperties.json' with { type: 'json' };
import type { ReferralsEmulator } from '../../src/emulator/core/index.js';
import { checkResponse, declaredStatuses } from '../../src/emulator/core/validate.js';
import { call, createReferral, newEmulator, referralInput, seenPairs, type CallOptions, type CallResult } from './helpers.js';

const EXPECTED: Record<string, number[]> = {
  GetAllReferrals: [200, 400, 401, 406, 429, 500, 503],
  CreateReferral: [201, 400, 401, 406, 409, 413, 415, 429, 500, 503],
  GetReferralById: [200, 401, 404, 406, 429, 500, 503],
  UpdateReferralById: [200, 400, 401, 404, 406, 409, 412, 413, 415, 429, 500, 503],
  PatchReferralById: [200, 204, 400, 401, 404, 406, 409, 412, 413, 415, 429, 500, 503],
  // Requests that match no operation: unknown paths and methods; the body is the Error schema.
  '-': [401, 404, 405, 429, 500, 503],
};

const registration = { type: 'AzureIPCoSell', contract: { value: 1000, currency: 'USD' } };

async function driveEveryOperation(): Promise<void> {
  const em = newEmulator({ count: 20, maxBodyBytes: 4000 });
  const a = await createReferral(em);
  const id = a.id as string;
  const json = { 'content-type': 'application/json' };
  const big = referralInput({ details: { notes: 'x'.repeat(5000) } });
  const patchBody = (ops: unknown) => JSON.stringify(ops);

  // Statuses every operation shares: 401, 406, and injected 429/500/503.
  const requests: Array<[string, string, Record<string, string>, string | undefined, string | undefined]> = [
    ['GetAllReferrals', 'GET', {}, '/referrals', undefined],
    ['CreateReferral', 'POST', json, '/referrals', JSON.stringify(referralInput())],
    ['GetReferralById', 'GET', {}, `/referrals/${id}`, undefined],
    ['UpdateReferralById', 'PUT', { ...json, 'if-match': '*' }, `/referrals/${id}`, JSON.stringify(referralInput())],
    ['PatchReferralById', 'PATCH', json, `/referrals/${id}`, patchBody([{ op: 'replace', path: '/name', value: 'n' }])],
  ];
  for (const [operation, method, headers, path, raw] of requests) {
    expect((await call(em, method, path!, { headers: { ...headers, authorization: '' }, raw })).status).toBe(401);
    expect((await call(em, method, path!, { headers: { ...headers, accept: 'text/xml' }, raw })).status).toBe(406);
    for (const kind of [429, 500, 503] as const) {
      em.injectFault({ kind, match: { operation } });
      expect((await call(em, method, path!, { headers, raw })).status).toBe(kind);
    }
  }

  // Throttling, the real 429.
  const throttled = newEmulator({ rateLimit: { limit: 1, windowMs: 60_000 } });
  await call(throttled, 'GET', '/referrals');
  expect((await call(throttled, 'GET', '/referrals')).status).toBe(429);

  // GetAllReferrals
  expect((await call(em, 'GET', '/referrals?$top=3&$count=true')).status).toBe(200);
  expect((await call(em, 'GET', '/referrals?$select=id,status&$top=2')).status).toBe(200);
  expect((await call(em, 'GET', '/referrals?$filter=nope')).status).toBe(400);

  // CreateReferral
  expect((await call(em, 'POST', '/referrals', { json: referralInput({ consent: undefined }) })).status).toBe(400);
  expect((await call(em, 'POST', '/referrals', { raw: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
  expect((await call(em, 'POST', '/referrals', { json: big })).status).toBe(413);
  const rid = { 'ms-requestid': '7e57ab1e-0000-4000-8000-000000000001' };
  expect((await call(em, 'POST', '/referrals', { json: referralInput(), headers: rid })).status).toBe(201);
  expect((await call(em, 'POST', '/referrals', { json: referralInput({ name: 'other' }), headers: rid })).status).toBe(409);

  // GetReferralById
  expect((await call(em, 'GET', `/referrals/${id}`)).status).toBe(200);
  expect((await call(em, 'GET', '/referrals/6f1c2d3e-0000-4000-8000-000000000000')).status).toBe(404);

  // UpdateReferralById
  const current = () => em.store.get(id)!.eTag;
  expect((await call(em, 'PUT', `/referrals/${id}`, { json: referralInput() })).status).toBe(400);
  expect((await call(em, 'PUT', `/referrals/${id}`, { json: referralInput(), headers: { 'if-match': '"old"' } })).status).toBe(412);
  expect((await call(em, 'PUT', `/referrals/${id}`, { raw: '<r/>', headers: { 'if-match': current(), 'content-type': 'application/xml' } })).status).toBe(415);
  expect((await call(em, 'PUT', `/referrals/${id}`, { json: big, headers: { 'if-match': current() } })).status).toBe(413);
  expect((await call(em, 'PUT', '/referrals/6f1c2d3e-0000-4000-8000-000000000000', { json: referralInput(), headers: { 'if-match': '*' } })).status).toBe(404);
  expect((await call(em, 'PUT', `/referrals/${id}`, { json: referralInput({ status: 'Closed', substatus: 'Lost' }), headers: { 'if-match': current() } })).status).toBe(200);
  expect((await call(em, 'PUT', `/referrals/${id}`, { json: referralInput({ status: 'Active', substatus: 'Accepted' }), headers: { 'if-match': current() } })).status).toBe(409);

  // PatchReferralById
  const b = (await createReferral(em)).id as string;
  expect((await call(em, 'PATCH', `/referrals/${b}`, { json: [{ op: 'replace', path: '/name', value: 'x' }] })).status).toBe(204);
  expect((await call(em, 'PATCH', `/referrals/${b}`, { json: [{ op: 'add', path: '/registrations/-', value: registration }], headers: { prefer: 'return=representation' } })).status).toBe(200);
  expect((await call(em, 'PATCH', `/referrals/${b}`, { json: [{ op: 'add', path: '/registrations/-', value: registration }] })).status).toBe(409);
  expect((await call(em, 'PATCH', `/referrals/${b}`, { json: [{ op: 'remove', path: '/name' }] })).status).toBe(400);
  expect((await call(em, 'PATCH', `/referrals/${b}`, { json: [{ op: 'replace', path: '/name', value: 'y' }], headers: { 'if-match': '"old"' } })).status).toBe(412);
  expect((await call(em, 'PATCH', `/referrals/${b}`, { raw: '[]', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
  expect((await call(em, 'PATCH', `/referrals/${b}`, { json: [{ op: 'replace', path: '/name', value: 'z'.repeat(5000) }] })).status).toBe(413);
  expect((await call(em, 'PATCH', '/referrals/6f1c2d3e-0000-4000-8000-000000000000', { json: [{ op: 'replace', path: '/name', value: 'x' }] })).status).toBe(404);

  // No operation: unknown path, wrong method, missing token, throttling and faults there too.
  expect((await call(em, 'GET', `/referrals/${id}/registrations`)).status).toBe(404);
  expect((await call(em, 'DELETE', `/referrals/${id}`)).status).toBe(405);
  expect((await call(em, 'GET', '/triggers/referrals', { headers: { authorization: '' } })).status).toBe(401);
  expect((await call(throttled, 'GET', '/nothing-here')).status).toBe(429);
  for (const kind of [500, 503] as const) {
    em.injectFault({ kind });
    expect((await call(em, 'GET', '/nothing-here')).status).toBe(kind);
  }
}

/** Status codes the core source can construct: ApiError/badRequest calls, json(), faults. */
function statusesInSource(): Set<number> {
  const dir = join(import.meta.dirname, '../../src/emulator/core');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const found = new Set<number>();
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/new ApiError\(\s*(\d{3})|this\.json\(\s*(\d{3})|status: (\d{3})\b|case (\d{3}):/g)) {
      found.add(Number(m[1] ?? m[2] ?? m[3] ?? m[4]));
    }
    if (/badRequest\(/.test(text.replace(/export const badRequest[^\n]*/, ''))) found.add(400);
  }
  return found;
}

describe('contract with the spec', () => {
  it('covers every operation and every status code the emulator sends, each valid for the spec', async () => {
    await driveEveryOperation();
    const seen: Record<string, number[]> = {};
    for (const pair of seenPairs) {
      const [op, status] = pair.split(' ');
      (seen[op!] ??= []).push(Number(status));
    }
    for (const list of Object.values(seen)) list.sort((x, y) => x - y);
    expect(seen).toEqual(EXPECTED);

    for (const [op, statuses] of Object.entries(EXPECTED)) {
      if (op === '-') continue;
      const declared = declaredStatuses(op);
      expect(statuses.filter((s) => !declared.includes(s)), `${op} sends statuses the spec does not declare`).toEqual([]);
    }

    const sent = new Set(Object.values(seen).flat());
    expect([...statusesInSource()].sort()).toEqual([...sent].sort());
  });

  it('checks what it claims to: wrong bodies, statuses and headers are reported', () => {
    const ok = { 'content-type': 'application/json' };
    expect(checkResponse({ operationId: 'GetReferralById', status: 200, headers: ok, body: '{"id": 5}' })).toEqual(["body: the required field 'type' is missing"]);
    expect(checkResponse({ operationId: 'GetReferralById', status: 418, headers: ok, body: '{}' })).toEqual(['GetReferralById does not declare status 418']);
    expect(checkResponse({ operationId: 'PatchReferralById', status: 204, headers: {}, body: '{}' })).toEqual(['status 204 declares no body, but one was sent']);
    expect(checkResponse({ operationId: 'GetAllReferrals', status: 429, headers: ok, body: '{"code":"x"}' })).toEqual(['header Retry-After is declared but missing']);
    expect(checkResponse({ operationId: 'GetAllReferrals', status: 429, headers: { ...ok, 'retry-after': 'soon' }, body: '{}' })).toEqual([
      "header Retry-After must be integer, got 'soon'",
    ]);
    expect(checkResponse({ status: 404, headers: { 'content-type': 'text/plain' }, body: 'nope' })).toEqual([
      "content-type is 'text/plain', not application/json",
      'the body is not JSON',
    ]);
  });

  it('known spec gap: Referral lists required fields that a $select projection omits', () => {
    // OData $select returns only the selected fields; the spec's ReferralList items require
    // type, customerProfile, consent and details. The emulator follows OData, so $select
    // responses are validated with `partial` (required lists ignored, everything else checked).
    // When the spec allows partial items, this test fails: drop `partial` from helpers.ts.
    const body = JSON.stringify({ '@odata.context': 'x', value: [{ id: '2f6d3b8e-5c1a-4e8f-9a7b-1d2c3e4f5a6b', status: 'New' }] });
    const headers = { 'content-type': 'application/json' };
    expect(checkResponse({ operationId: 'GetAllReferrals', status: 200, headers, body })).toEqual(["body/value/0: the required field 'type' is missing"]);
    expect(checkResponse({ operationId: 'GetAllReferrals', status: 200, headers, body, partial: true })).toEqual([]);
    const wrongType = JSON.stringify({ value: [{ id: 1 }] });
    expect(checkResponse({ operationId: 'GetAllReferrals', status: 200, headers, body: wrongType, partial: true })).toEqual(['body/value/0/id: must be of type string']);
  });
});

// ---------------------------------------------------------------------------------------------
// Connector-only operations

interface Policy {
  templateId: string;
  parameters: Record<string, unknown>;
}

/** operationId -> where Power Platform sends it (`routerequesttoendpoint` policies). */
const ROUTED = new Map(
  (apiProperties.properties.policyTemplateInstances as Policy[])
    .filter((p) => p.templateId === 'routerequesttoendpoint')
    .flatMap((p) =>
      (p.parameters['x-ms-apimTemplate-operationName'] as string[]).map((op) => [
        op,
        { path: p.parameters['x-ms-apimTemplateParameter.newPath'] as string, method: p.parameters['x-ms-apimTemplateParameter.httpMethod'] as string },
      ]),
    ),
);

const CONNECTOR_EXPECTED: Record<string, number[]> = {
  CreateDealRegistrationByReferralId: [200, 204, 400, 401, 404, 409, 412, 429, 500, 503],
  PatchDealRegistrationByReferralId: [200, 204, 400, 401, 404, 409, 412, 429, 500, 503],
  OnReferralCreatedOrUpdated: [200, 400, 401, 429, 500, 503],
};

describe('contract of the connector-only operations, through their routes', () => {
  it('routes every connector operation the spec has and the service lacks', () => {
    const connectorOnly = ['CreateDealRegistrationByReferralId', 'PatchDealRegistrationByReferralId', 'OnReferralCreatedOrUpdated'];
    expect([...ROUTED.keys()].sort()).toEqual(connectorOnly.sort());
    expect(Object.keys(CONNECTOR_EXPECTED).sort()).toEqual(connectorOnly.sort());
  });

  it('answers each with statuses and bodies the spec declares for that connector operation', async () => {
    const seen = new Map<string, Set<number>>();
    const problems: string[] = [];
    const via = async (em: ReferralsEmulator, operationId: string, id: string, options: CallOptions & { query?: string } = {}): Promise<CallResult> => {
      const route = ROUTED.get(operationId)!;
      const res = await call(em, route.method, route.path.replace('{id}', id) + (options.query ?? ''), options);
      if (!seen.has(operationId)) seen.set(operationId, new Set());
      seen.get(operationId)!.add(res.status);
      const found = checkResponse({ operationId, status: res.status, headers: res.headers, body: res.body });
      problems.push(...found.map((p) => `${operationId} -> ${res.status}: ${p}`));
      return res;
    };
    const em = newEmulator({ count: 5 });
    const registration = { type: 'AzureIPCoSell', contract: { value: 1000, currency: 'USD' } };
    const add = [{ op: 'add', path: '/registrations/-', value: registration }];
    const change = [{ op: 'replace', path: '/registrations/0/contract/value', value: 2000 }];
    const missing = '6f1c2d3e-0000-4000-8000-000000000000';
    const a = (await createReferral(em)).id as string;
    const b = (await createReferral(em)).id as string;
    const representation = { prefer: 'return=representation' };

    // CreateDealRegistrationByReferralId
    expect((await via(em, 'CreateDealRegistrationByReferralId', a, { json: add, headers: { 'if-match': '"stale"' } })).status).toBe(412);
    expect((await via(em, 'CreateDealRegistrationByReferralId', a, { json: [{ op: 'add', path: '/registrations/-', value: { contract: { value: 'x' } } }] })).status).toBe(400);
    expect((await via(em, 'CreateDealRegistrationByReferralId', a, { json: add, headers: representation })).status).toBe(200);
    expect((await via(em, 'CreateDealRegistrationByReferralId', a, { json: add })).status).toBe(409);
    expect((await via(em, 'CreateDealRegistrationByReferralId', b, { json: add })).status).toBe(204);
    expect((await via(em, 'CreateDealRegistrationByReferralId', missing, { json: add })).status).toBe(404);

    // PatchDealRegistrationByReferralId
    expect((await via(em, 'PatchDealRegistrationByReferralId', a, { json: change })).status).toBe(204);
    expect((await via(em, 'PatchDealRegistrationByReferralId', a, { json: change, headers: representation })).status).toBe(200);
    expect((await via(em, 'PatchDealRegistrationByReferralId', a, { json: [{ op: 'remove', path: '/registrations/0/contract' }] })).status).toBe(400);
    expect((await via(em, 'PatchDealRegistrationByReferralId', a, { json: change, headers: { 'if-match': '"stale"' } })).status).toBe(412);
    expect((await via(em, 'PatchDealRegistrationByReferralId', missing, { json: change })).status).toBe(404);
    em.store.update(b, (r) => {
      (r.registrations as Array<Record<string, unknown>>)[0]!.status = 'Passed';
    });
    expect((await via(em, 'PatchDealRegistrationByReferralId', b, { json: change })).status).toBe(409);

    // OnReferralCreatedOrUpdated: the first poll, then the pollingtrigger's $filter on the newest seen.
    const first = await via(em, 'OnReferralCreatedOrUpdated', '', { query: '?$orderby=updatedDateTime%20desc' });
    expect(first.status).toBe(200);
    const newest = first.json.value[0].updatedDateTime as string;
    const since = `?$orderby=updatedDateTime%20desc&$filter=${encodeURIComponent(`updatedDateTime gt ${newest}`)}`;
    expect((await via(em, 'OnReferralCreatedOrUpdated', '', { query: since })).json.value).toEqual([]);
    expect((await via(em, 'OnReferralCreatedOrUpdated', '', { query: '?$orderby=updatedDateTime%20sideways' })).status).toBe(400);

    // Shared by all three: no token, throttling, injected faults.
    const throttled = newEmulator({ count: 1, rateLimit: { limit: 1, windowMs: 60_000 } });
    const tid = throttled.store.list()[0]!.id;
    for (const [operationId, body] of [['CreateDealRegistrationByReferralId', add], ['PatchDealRegistrationByReferralId', change], ['OnReferralCreatedOrUpdated', undefined]] as const) {
      const id = operationId === 'OnReferralCreatedOrUpdated' ? '' : a;
      expect((await via(em, operationId, id, { json: body, headers: { authorization: '' } })).status).toBe(401);
      for (const kind of [429, 500, 503] as const) {
        em.injectFault({ kind });
        expect((await via(em, operationId, id, { json: body })).status).toBe(kind);
      }
      await via(throttled, operationId, operationId === 'OnReferralCreatedOrUpdated' ? '' : tid, { json: body });
      expect((await via(throttled, operationId, operationId === 'OnReferralCreatedOrUpdated' ? '' : tid, { json: body })).status).toBe(429);
      throttled.reset();
    }

    expect(problems).toEqual([]);
    expect(Object.fromEntries([...seen].map(([op, statuses]) => [op, [...statuses].sort((x, y) => x - y)]))).toEqual(CONNECTOR_EXPECTED);
  });
});
