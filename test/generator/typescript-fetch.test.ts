// The plain OpenAPI Generator typescript-fetch client (generated/typescript-fetch/) used as a
// user would, against the emulator through MSW: every operation, its (de)serialisation, and
// its errors. Every response the emulator sends is also checked against the spec (newEmulator).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as client from '../../generated/typescript-fetch/index.js';
import {
  Configuration,
  ModelErrorFromJSON,
  ReferralCreateFromJSON,
  ReferralFromJSON,
  ReferralStatusEnum,
  ReferralsApi,
  RegistrationStatusEnum,
  RegistrationTypeEnum,
  ResponseError,
  type ConfigurationParameters,
} from '../../generated/typescript-fetch/index.js';
import { createReferralsHandlers } from '../../src/emulator/msw.js';
import type { EmulatorOptions, ReferralsEmulator } from '../../src/emulator/core/index.js';
import { newReferral as newReferralJson } from '../client/emulator-harness.js';
import { newEmulator } from '../emulator/helpers.js';

const ORIGIN = 'https://api.partner.microsoft.com';
const BASE_PATH = '/v1.0/engagements';
const TOKEN = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0In0.c2ln';
const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A fresh emulator behind MSW and the generated APIs on it. */
function start(options: EmulatorOptions = {}, config: ConfigurationParameters = {}) {
  const emulator: ReferralsEmulator = newEmulator({ seed: 12, now: () => new Date(), ...options });
  server.resetHandlers(...createReferralsHandlers({ emulator, baseUrl: ORIGIN }));
  // typescript-fetch puts what accessToken returns into Authorization as it is: the scheme included.
  const configuration = new Configuration({ accessToken: async () => `Bearer ${TOKEN}`, ...config });
  return { emulator, configuration, referrals: new ReferralsApi(configuration) };
}

/** The client tests' create body, as the generated model (dates would become Date). */
const newReferral = (name: string) => ReferralCreateFromJSON(newReferralJson(name));

/** Reads the Error body a ResponseError carries. */
async function errorBody(err: unknown) {
  expect(err).toBeInstanceOf(ResponseError);
  return { status: (err as ResponseError).response.status, body: ModelErrorFromJSON(await (err as ResponseError).response.json()) };
}

describe('generated/typescript-fetch compiles', () => {
  it('under the project tsconfig, changed only in noImplicitOverride', () => {
    const strip = (text: string) => JSON.parse(text.replace(/^\s*\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, ''));
    const ours = strip(readFileSync(join(ROOT, 'test/generator/tsconfig.json'), 'utf8'));
    expect(ours.extends).toBe('../../tsconfig.json');
    expect(ours.compilerOptions).toEqual({ noImplicitOverride: false });
    expect(strip(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')).compilerOptions.strict).toBe(true);

    const pkg = createRequire(import.meta.url).resolve('typescript/package.json');
    const r = spawnSync(process.execPath, [join(dirname(pkg), 'bin', 'tsc'), '-p', 'test/generator/tsconfig.json', '--listFilesOnly'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout).toContain('generated/typescript-fetch/runtime.ts');
    const check = spawnSync(process.execPath, [join(dirname(pkg), 'bin', 'tsc'), '-p', 'test/generator/tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`).toBe('');
    expect(check.status).toBe(0);
  });
});

describe('typescript-fetch client against the emulator (MSW)', () => {
  it('lists with paging by hand: $top pages, following @odata.nextLink', async () => {
    const { emulator, referrals } = start({ count: 7 });
    const first = await referrals.getAllReferrals({ $top: 3, $count: true, $orderby: 'createdDateTime asc' });
    expect(first.odataCount).toBe(7);
    expect(first.value).toHaveLength(3);
    const seen = [...(first.value ?? [])];
    // The client has no call for an opaque next link: point one request at it.
    let next = first.odataNextLink;
    let pages = 1;
    while (next) {
      const link = next;
      const page = await referrals.withPreMiddleware(async ({ init }) => ({ url: link, init })).getAllReferrals({});
      seen.push(...(page.value ?? []));
      next = page.odataNextLink;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen.map((r) => r.id).sort()).toEqual(emulator.store.list().map((r) => r.id).sort());
    const created = seen.map((r) => r.createdDateTime!.getTime());
    expect(created).toEqual([...created].sort((a, b) => a - b));
  });

  it('gets one referral with dates as Date, enums as their values and nested objects mapped', async () => {
    const { emulator, referrals } = start({ count: 3 });
    const stored = emulator.store.list()[0]!;
    const got = await referrals.getReferralById({ id: stored.id });
    expect(got.id).toBe(stored.id);
    expect(got.createdDateTime).toBeInstanceOf(Date);
    expect(got.createdDateTime!.toISOString()).toBe(new Date(stored.createdDateTime as string).toISOString());
    expect(Object.values(ReferralStatusEnum)).toContain(got.status);
    // '@odata.context' and friends arrive under the generator's camelCase names.
    expect(got.eTag).toBe(stored.eTag);
    expect(typeof got.customerProfile?.name).toBe('string');
  });

  it('creates (201, MS-RequestId sent), replaces with PUT and If-Match, and patches with If-Match and Prefer', async () => {
    const { emulator, referrals } = start();
    const created = await referrals.createReferral({ body: newReferral('Contoso'), mSRequestId: '6f1c1b7e-8c2a-4d7e-9a1b-3c5d7e9f1a2b' });
    expect(created.status).toBe(ReferralStatusEnum.New);
    expect(created.id).toBeTruthy();
    expect(emulator.requests.at(-1)).toMatchObject({ method: 'POST', status: 201 });
    expect(emulator.requests.at(-1)!.headers['ms-requestid']).toBe('6f1c1b7e-8c2a-4d7e-9a1b-3c5d7e9f1a2b');

    const replaced = await referrals.updateReferralById({ id: created.id!, ifMatch: created.eTag!, body: { ...ReferralFromJSON(newReferralJson('Contoso')), name: 'Contoso renamed' } });
    expect(replaced.name).toBe('Contoso renamed');
    expect(replaced.eTag).not.toBe(created.eTag);

    const minimal = await referrals.patchReferralById({ id: created.id!, ifMatch: replaced.eTag!, body: [{ op: 'replace', path: '/details/notes', value: 'Call back Monday' }] });
    expect(minimal).toBeNull(); // 204 without Prefer
    const latest = await referrals.getReferralById({ id: created.id! });
    const patched = await referrals.patchReferralById({
      id: created.id!,
      ifMatch: latest.eTag!,
      prefer: 'return=representation',
      body: [
        { op: 'replace', path: '/status', value: 'Active' },
        { op: 'replace', path: '/substatus', value: 'Accepted' },
      ],
    });
    expect(patched).toMatchObject({ status: ReferralStatusEnum.Active, substatus: 'Accepted', details: { notes: 'Call back Monday' } });
    expect(patched!.updatedDateTime).toBeInstanceOf(Date);
    const sent = emulator.requests.at(-1)!;
    expect(sent.headers['if-match']).toBe(latest.eTag);
    expect(sent.headers.prefer).toBe('return=representation');
  });

  describe('deal registration, on the endpoint Partner Center serves', () => {
    it('offers only what the service serves: no connector-only API (deal-registration routes, trigger)', () => {
      const apis = Object.keys(client).filter((name) => name.endsWith('Api'));
      expect(apis).toEqual(['ReferralsApi']);
      expect(Object.keys(client)).not.toContain('DealRegistrationsApi');
      expect(Object.keys(client)).not.toContain('TriggersApi');
    });

    it('registers a deal with patchReferralById (add /registrations/-) and updates it (replace under /registrations/0/)', async () => {
      const { emulator, referrals } = start();
      const created = await referrals.createReferral({ body: newReferral('Fabrikam') });
      const withDeal = await referrals.patchReferralById({
        id: created.id!,
        prefer: 'return=representation',
        body: [{ op: 'add', path: '/registrations/-', value: { type: 'AzureIPCoSell', contract: { value: 50000, currency: 'USD', term: 'Perpetual' } } }],
      });
      expect(emulator.requests.at(-1)).toMatchObject({ method: 'PATCH', path: `${BASE_PATH}/referrals/${created.id}`, status: 200, operation: 'PatchReferralById' });
      const registration = withDeal!.registrations![0]!;
      expect(registration.type).toBe(RegistrationTypeEnum.AzureIpcoSell);
      expect(registration.status).toBe(RegistrationStatusEnum.ReviewPending);
      expect(registration.registrationDateTime ?? registration.statusHistory?.reviewPendingDateTime).toBeInstanceOf(Date);

      const current = await referrals.getReferralById({ id: created.id! });
      const patched = await referrals.patchReferralById({
        id: created.id!,
        ifMatch: current.eTag!,
        prefer: 'return=representation',
        body: [{ op: 'replace', path: '/registrations/0/contract/value', value: 75000 }],
      });
      expect(patched!.registrations![0]!.contract?.value).toBe(75000);
      expect(emulator.requests.at(-1)).toMatchObject({ method: 'PATCH', path: `${BASE_PATH}/referrals/${created.id}`, status: 200 });
      expect(emulator.requests.at(-1)!.headers['if-match']).toBe(current.eTag);
      expect(emulator.store.get(created.id!)!.registrationStatus).toBe('ReviewPending');
    });
  });

  describe('errors', () => {
    it('a stale If-Match surfaces as ResponseError 412 with the Error body readable', async () => {
      const { emulator, referrals } = start({ count: 1 });
      const id = emulator.store.list()[0]!.id;
      const err = await referrals.patchReferralById({ id, ifMatch: '"stale"', body: [{ op: 'replace', path: '/details/notes', value: 'x' }] }).catch((e: unknown) => e);
      const { status, body } = await errorBody(err);
      expect(status).toBe(412);
      expect(body).toMatchObject({ code: 'PreconditionFailed', source: 'PartnerReferrals' });
      expect(body.description).toContain('If-Match');
      expect((err as ResponseError).message).toBe('Response returned an error code');
    });

    it('a bad body is a 400 ResponseError naming the problem; a missing required parameter never leaves the client', async () => {
      const { emulator, referrals } = start();
      const bad = await referrals.createReferral({ body: { name: 'no type' } as never }).catch((e: unknown) => e);
      const { status, body } = await errorBody(bad);
      expect(status).toBe(400);
      expect(body.description).toMatch(/type|customerProfile/);
      const before = emulator.requests.length;
      await expect(referrals.getReferralById({ id: undefined as never })).rejects.toThrow(/Required parameter "id"/);
      expect(emulator.requests).toHaveLength(before);
    });

    it('a token without its scheme is a 401: accessToken must return the whole Authorization value', async () => {
      const { referrals } = start({ count: 1 }, { accessToken: TOKEN });
      const { status, body } = await errorBody(await referrals.getAllReferrals({}).catch((e: unknown) => e));
      expect(status).toBe(401);
      expect(body.description).toContain('Bearer');
    });
  });
});
