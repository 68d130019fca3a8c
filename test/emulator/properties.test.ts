/**
 * Property-based tests (fast-check): whatever a client sends in $filter, $orderby, $select,
 * $top, $skip or a PATCH body, the emulator answers 2xx or 4xx with an error body naming the
 * problem, never 5xx and never an exception, and a rejected request changes nothing.
 */
import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { checkDefinition } from '../../src/emulator/core/validate.js';
import { BoundedWorker } from '../harness/bounded-worker.js';
import { call, newEmulator, referralInput } from './helpers.js';
import type { ListAnswer } from './list-query.worker.js';
import { anyFilter, garbage, otherOption, showQuery } from './query-arbitraries.js';

const em = newEmulator({ count: 40 });

// Each query first runs in a worker thread under a deadline: an option that sends the parser
// into an endless loop fails the test within seconds, naming it, instead of blocking this worker.
const bounded = new BoundedWorker<string, ListAnswer>(new URL('./list-query.worker.ts', import.meta.url), { deadlineMs: 5_000, label: showQuery });
afterAll(() => bounded.close());
beforeEach(() => {
  bounded.failure = undefined; // a hang fails its own test only
});

/** Answers seen per status, so a test can show it exercised both outcomes. */
const tally = new Map<number, number>();
const count = (status: number) => tally.set(status, (tally.get(status) ?? 0) + 1);

async function listWith(query: string) {
  // After a hang, skip the remaining runs and the shrinking: each would wait for the deadline.
  fc.pre(!bounded.failure);
  await bounded.run(query);
  const res = await call(em, 'GET', `/referrals?${query}`);
  count(res.status);
  expect(res.status === 200 || res.status === 400, `${query} -> ${res.status} ${res.body}`).toBe(true);
  if (res.status === 400) {
    expect(typeof res.json.code).toBe('string');
    expect(res.json.description.length).toBeGreaterThan(10);
  }
  return res;
}

describe('random query options', () => {
  it('$filter: grammar-shaped and garbage expressions answer 200 or a 400 naming $filter', async () => {
    await fc.assert(
      fc.asyncProperty(anyFilter, async (filter) => {
        const res = await listWith(`$filter=${encodeURIComponent(filter)}`);
        if (res.status === 400 && res.json.code === 'InvalidFilter') expect(res.json.description).toMatch(/^\$filter: /);
      }),
      { numRuns: 1500 },
    );
    // Both outcomes occur often: the generator is not all noise, nor all valid.
    expect(tally.get(200)).toBeGreaterThan(150);
    expect(tally.get(400)).toBeGreaterThan(150);
    tally.clear();
  });

  it('$orderby, $select, $expand, $top, $skip, $count and $skiptoken never break the service', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(otherOption, { minLength: 1, maxLength: 4 }), async (options) => {
        await listWith(options.join('&'));
      }),
      { numRuns: 1500 },
    );
    expect(tally.get(200)).toBeGreaterThan(150);
    expect(tally.get(400)).toBeGreaterThan(150);
    tally.clear();
  });
});

describe('random PATCH documents', () => {
  const knownPaths = [
    '/name', '/status', '/substatus', '/statusReason', '/favorite', '/tags', '/tags/-', '/tags/0', '/details', '/details/notes',
    '/details/dealValue', '/details/requirements/industries/-', '/team/-', '/team/0', '/team/0/email', '/team/5/email',
    '/customerProfile/address/country', '/customerProfile/isMatchingComplete', '/consent/consentToContact', '/target/0/id',
    '/registrations/-', '/registrations/0/contract/value', '/registrations/0/status', '/registrations/1', '/registrations',
    '/id', '/eTag', '/links', '/engagementId', '/direction', '/', '', 'name', '/nosuch', '/details/nosuch', '/team/x',
    '/__proto__/polluted', '/constructor/prototype/x', '/details/requirements/additionalRequirements/iot/siliconType',
  ];
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom('New', 'Active', 'Closed', 'Pending', 'Accepted', 'Won', 'Lost', 'Declined', 'Expired', 'Received', 'None'),
    fc.record({ contract: fc.record({ value: fc.oneof(fc.double(), fc.string()), currency: fc.string() }) }, { requiredKeys: [] }),
  );
  const op = fc.oneof(
    fc.record({
      op: fc.constantFrom('add', 'replace', 'remove', 'move', 'copy', 'test', 'ADD', ''),
      path: fc.oneof(fc.constantFrom(...knownPaths), fc.string({ maxLength: 20 })),
      value,
    }, { requiredKeys: ['op'] }),
    fc.jsonValue({ maxDepth: 2 }),
  );
  // Well-typed operations on writable paths, so that many patches are accepted.
  const validOp = fc.oneof(
    fc.string({ maxLength: 10 }).map((v) => ({ op: 'replace', path: '/name', value: v })),
    fc.option(fc.string({ maxLength: 10 })).map((v) => ({ op: 'replace', path: '/details/notes', value: v })),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => ({ op: 'replace', path: '/details/dealValue', value: v })),
    fc.tuple(fc.constantFrom('add', 'replace'), fc.boolean()).map(([o, v]) => ({ op: o, path: '/favorite', value: v })),
    fc.string({ maxLength: 8 }).map((v) => ({ op: 'add', path: '/tags/-', value: v })),
    fc.constantFrom('US', 'DE', 'JP').map((v) => ({ op: 'replace', path: '/customerProfile/address/country', value: v })),
    fc.emailAddress().map((email) => ({ op: 'add', path: '/team/-', value: { firstName: 'Ann', lastName: 'Lee', email } })),
    fc.constantFrom(['New', 'Received'], ['Active', 'Accepted'], ['Closed', 'Won'], ['Closed', 'Lost']).map(([status, substatus]) => [
      { op: 'replace', path: '/status', value: status },
      { op: 'replace', path: '/substatus', value: substatus },
    ]),
    fc.double({ min: 0, max: 1e7, noNaN: true }).map((v) => ({ op: 'replace', path: '/registrations/0/contract/value', value: v })),
    fc.constant({ op: 'add', path: '/registrations/-', value: { type: 'AzureIPCoSell' } }),
  );
  const validDocument = fc.array(validOp, { minLength: 1, maxLength: 3 }).map((ops) => ops.flat());
  const document = fc.oneof(
    { arbitrary: validDocument, weight: 3 },
    { arbitrary: fc.array(op, { maxLength: 5 }), weight: 2 },
    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
  );

  it('answer 2xx or 4xx, never 5xx; a rejected patch leaves every referral unchanged; an accepted one is valid', async () => {
    const local = newEmulator({ count: 3 });
    const ids = local.store.list().map((r) => r.id);
    // Make the third one's registration terminal so the frozen rule is exercised too.
    await call(local, 'PATCH', `/referrals/${ids[2]}`, { json: [{ op: 'add', path: '/registrations/-', value: {} }] });
    local.store.update(ids[2]!, (r) => {
      (r.registrations as Array<Record<string, unknown>>)[0]!.status = 'Passed';
    });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ids), document, fc.boolean(), async (id, body, withIfMatch) => {
        const before = local.store.list();
        const current = local.store.get(id)!;
        const res = await call(local, 'PATCH', `/referrals/${id}`, {
          json: body,
          headers: withIfMatch ? { 'if-match': current.eTag, prefer: 'return=representation' } : {},
        });
        expect(res.status, `${JSON.stringify(body)} -> ${res.body}`).toBeLessThan(500);
        count(res.status);
        if (res.status >= 400) {
          expect(local.store.list()).toEqual(before);
          expect(typeof res.json.description).toBe('string');
        } else {
          expect([200, 204]).toContain(res.status);
          // Valid for the spec even when no body is sent back (a 200 is contract-checked anyway).
          expect(checkDefinition('Referral', local.store.get(id))).toBeUndefined();
          // Only this referral changed, and the server-owned fields stayed or moved as the service moves them.
          const after = local.store.get(id)!;
          expect(local.store.list().filter((r) => r.id !== id)).toEqual(before.filter((r) => r.id !== id));
          expect([after.id, after.createdDateTime, after.direction, after.engagementId]).toEqual([current.id, current.createdDateTime, current.direction, current.engagementId]);
          expect(after.eTag).not.toBe(current.eTag);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 1500 },
    );
    const accepted = (tally.get(200) ?? 0) + (tally.get(204) ?? 0);
    expect(accepted, JSON.stringify([...tally])).toBeGreaterThan(50);
    expect(tally.get(400)).toBeGreaterThan(150);
    tally.clear();
  });

  it('raw bodies that are not JSON answer 400 or 415 and change nothing', async () => {
    const local = newEmulator({ count: 2 });
    const id = local.store.list()[0]!.id;
    await fc.assert(
      fc.asyncProperty(garbage, fc.constantFrom('application/json', 'application/json-patch+json', 'text/plain', 'application/json; charset=utf-8'), async (raw, type) => {
        const before = local.store.list();
        for (const [method, path] of [['PATCH', `/referrals/${id}`], ['POST', '/referrals'], ['PUT', `/referrals/${id}`]] as const) {
          const res = await call(local, method, path, { raw, headers: { 'content-type': type, 'if-match': '*' } });
          expect(res.status, `${method} ${JSON.stringify(raw)} -> ${res.body}`).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(local.store.list()).toEqual(before);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('random referral bodies and headers', () => {
  // A valid referral with random values dropped in at random paths (right and wrong types).
  const paths = [
    'name', 'type', 'qualification', 'status', 'substatus', 'favorite', 'tags', 'team', 'id', 'eTag', 'direction', 'registrations',
    'customerProfile', 'customerProfile/name', 'customerProfile/address', 'customerProfile/address/country', 'customerProfile/team',
    'consent', 'consent/consentToContact', 'details', 'details/dealValue', 'details/closingDateTime', 'details/notes', 'inviteContext',
    'inviteContext/invitedMpnId', 'trackingInfo', 'target', 'nosuch', 'details/nosuch',
  ];
  const mutation = fc.tuple(fc.constantFrom(...paths), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('New', 'Closed', 'Won', 'Shared', '2026-01-01T00:00:00Z', 'not-a-date', null)), fc.boolean());
  const body = fc.array(mutation, { maxLength: 4 }).map((changes) => {
    const out = referralInput() as Record<string, unknown>;
    for (const [path, value, remove] of changes) {
      const segments = path.split('/');
      let node = out;
      for (const s of segments.slice(0, -1)) {
        if (typeof node[s] !== 'object' || node[s] === null || Array.isArray(node[s])) node[s] = {};
        node = node[s] as Record<string, unknown>;
      }
      if (remove) delete node[segments.at(-1)!];
      else node[segments.at(-1)!] = value;
    }
    return out;
  });
  const header = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('*', '"x"', 'W/"x"', 'return=representation', 'application/json', 'text/*', 'Bearer ', 'Bearer a b', '', '\t'));
  const headers = fc.record(
    {
      accept: fc.oneof({ arbitrary: fc.constant('application/json'), weight: 5 }, { arbitrary: header, weight: 1 }),
      'if-match': header,
      prefer: header,
      'ms-requestid': fc.oneof(fc.uuid(), header),
      'ms-correlationid': header,
      authorization: fc.oneof({ arbitrary: fc.constant('Bearer fuzz'), weight: 5 }, { arbitrary: header, weight: 1 }),
    },
    { requiredKeys: [] },
  );

  it('POST and PUT answer 2xx or 4xx, never 5xx, and a rejected one changes nothing', async () => {
    const local = newEmulator({ count: 2 });
    const id = local.store.list()[0]!.id;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('POST', 'PUT'), body, headers, fc.boolean(), async (method, json, extra, currentETag) => {
        const before = local.store.list();
        const sent = { ...extra };
        if (method === 'PUT' && currentETag) sent['if-match'] = local.store.get(id)!.eTag;
        const res = await call(local, method, method === 'POST' ? '/referrals' : `/referrals/${id}`, { json, headers: sent });
        expect(res.status, `${method} ${JSON.stringify(json)} ${JSON.stringify(sent)} -> ${res.body}`).toBeLessThan(500);
        count(res.status);
        if (res.status >= 400) {
          expect(local.store.list()).toEqual(before);
          expect(res.json.description.length).toBeGreaterThan(10);
        } else {
          for (const r of local.store.list()) expect(checkDefinition('Referral', r)).toBeUndefined();
        }
        if (sent['ms-correlationid'] !== undefined && sent['ms-correlationid'] !== '') expect(res.headers['ms-correlationid']).toBe(sent['ms-correlationid']);
      }),
      { numRuns: 1000 },
    );
    const ok = (tally.get(200) ?? 0) + (tally.get(201) ?? 0);
    expect(ok, JSON.stringify([...tally])).toBeGreaterThan(30);
    expect(tally.get(400), JSON.stringify([...tally])).toBeGreaterThan(100);
    tally.clear();
  });
});
