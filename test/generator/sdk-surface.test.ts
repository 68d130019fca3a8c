// generated/referrals.openapi.json is what client generators read (generate:sdk, the committed
// typescript-fetch client, generated/referrals.ts): every operation in it must exist on Partner
// Center's own API surface, i.e. on the emulator called directly, without the connector. The
// connector keeps its own actions (trigger, deal registration) in its swagger.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../build/helpers.js';
import { AUTH, BASE, newEmulator } from '../emulator/helpers.js';

const sdk = JSON.parse(readFileSync(join(ROOT, 'generated/referrals.openapi.json'), 'utf8'));
const connector = JSON.parse(readFileSync(join(ROOT, 'generated/referrals.swagger.json'), 'utf8'));
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

const sdkOperations: Array<[string, string, string]> = Object.entries(sdk.paths as Record<string, Record<string, { operationId: string }>>).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((m): [string, string, string] => [item[m]!.operationId, m.toUpperCase(), path]),
);

describe('the SDK spec holds only what Partner Center serves', () => {
  it('has exactly the five operations on /referrals and /referrals/{id}', () => {
    expect(Object.keys(sdk.paths).sort()).toEqual(['/referrals', '/referrals/{id}']);
    expect(sdkOperations.map(([id]) => id).sort()).toEqual(['CreateReferral', 'GetAllReferrals', 'GetReferralById', 'PatchReferralById', 'UpdateReferralById']);
    expect(Object.keys(sdk.components.schemas)).not.toContain('DealRegistrationAddOperation');
    expect((sdk.tags as Array<{ name: string }>).map((t) => t.name)).toEqual(['Referrals']);
  });

  it.each(sdkOperations)('%s (%s %s) is answered by the emulator called directly, as that operation', async (operationId, method, path) => {
    const emulator = newEmulator({ count: 1, seed: 4 });
    const id = emulator.store.list()[0]!.id;
    const body = method === 'PATCH' ? '[{"op":"replace","path":"/name","value":"x"}]' : method === 'GET' ? undefined : '{}';
    const res = await emulator.handle({
      method,
      url: BASE + path.replace('{id}', id),
      headers: { ...AUTH, ...(body ? { 'content-type': 'application/json', 'if-match': '*' } : {}) },
      body,
    });
    expect(emulator.requests.at(-1)!.operation, `${method} ${path} -> ${res.status} ${res.body}`).toBe(operationId);
    expect([404, 405]).not.toContain(res.status);
  });

  it('documents deal registration on PATCH /referrals/{id}, with the connector actions\' bodies as examples', () => {
    const examples = sdk.paths['/referrals/{id}'].patch.requestBody.content['application/json'].examples;
    expect(Object.keys(examples)).toEqual(['CreateDealRegistrationByReferralId', 'PatchDealRegistrationByReferralId']);
    expect(examples.CreateDealRegistrationByReferralId.value[0]).toMatchObject({ op: 'add', path: '/registrations/-', value: { type: 'AzureIPCoSell' } });
    expect(examples.PatchDealRegistrationByReferralId.value[0].path).toMatch(/^\/registrations\/0\//);
    expect(sdk.paths['/referrals/{id}'].patch.description).toContain('add /registrations/-');
  });

  it('the connector keeps its trigger and deal-registration actions', () => {
    expect(connector.paths['/referrals/{id}/registrations'].post.operationId).toBe('CreateDealRegistrationByReferralId');
    expect(connector.paths['/referrals/{id}/registrations'].patch.operationId).toBe('PatchDealRegistrationByReferralId');
    expect(connector.paths['/triggers/referrals'].get.operationId).toBe('OnReferralCreatedOrUpdated');
  });
});
