/**
 * Property-based tests (fast-check): whatever a client sends in $filter, $orderby, $select,
 * $top, $skip or a PATCH body, the emulator answers 2xx or 4xx with an error body naming the
 * problem, never 5xx and never an exception, and a rejected request changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDefinition } from '../../src/emulator/core/validate.js';
import { call, newEmulator, referralInput } from './helpers.js';

const em = newEmulator({ count: 40 });

const fields = [
  'status', 'substatus', 'name', 'id', 'favorite', 'details/dealValue', 'details/currency', 'details/closingDateTime',
  'customerProfile/address/country', 'customerProfile/name', 'createdDateTime', 'updatedDateTime', 'team', 'tags',
  'registrations', 'customerProfile', 'nosuch', 'details/nosuch', 't/email', 'x',
];
const literal = fc.oneof(
  fc.string({ maxLength: 8 }).map((s) => `'${s.replace(/'/g, "''")}'`),
  fc.string({ maxLength: 6 }).map((s) => `'${s}'`), // unescaped quotes too
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('null', 'true', 'false', '2026-01-01T00:00:00Z', '2026-13-45T99:00:00Z', '2026-01-01', 'INF', '-0', '1e400'),
  fc.uuid(),
);
const space = fc.constantFrom(' ', '  ', '', '\t');
const comparison = fc
  .tuple(fc.constantFrom(...fields), space, fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le', 'has', 'in', 'EQ'), space, literal)
  .map(([f, s1, op, s2, lit]) => `${f}${s1 || ' '}${op}${s2 || ' '}${lit}`);
const call1 = fc
  .tuple(fc.constantFrom('contains', 'startswith', 'endswith', 'tolower', 'length', 'substring', 'now'), fc.constantFrom(...fields), literal)
  .map(([fn, f, lit]) => `${fn}(${f},${lit})`);
const lambda = fc
  .tuple(fc.constantFrom('team', 'tags', 'registrations', 'customerProfile/team', 'name'), fc.constantFrom('any', 'all', 'count'), fc.constantFrom('t', 'x'), comparison)
  .map(([c, q, v, body]) => `${c}/${q}(${v}:${body.replace(/^\w+/, `${v}/email`)})`);

const noisy: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    call1,
    lambda,
    fc.tuple(tie('e'), fc.constantFrom(' and ', ' or ', ' AND ', ' and', ' xor '), tie('e')).map(([a, op, b]) => `${a}${op}${b}`),
    tie('e').map((e) => `not ${e}`),
    tie('e').map((e) => `(${e})`),
    tie('e').map((e) => `(${e}`),
  ),
})).e;

// Well-typed expressions over real fields, so that many filters are valid and run.
const text = fc.string({ maxLength: 6 }).map((v) => `'${v.replace(/'/g, "''")}'`);
const typed = fc.oneof(
  fc.tuple(fc.constantFrom('status', 'substatus', 'name', 'details/currency', 'customerProfile/address/country', 'customerProfile/name'), fc.oneof(text, fc.constantFrom("'New'", "'Active'", "'US'", 'null'))),
  fc.tuple(fc.constant('details/dealValue'), fc.oneof(fc.integer({ min: 0, max: 2_000_000 }).map(String), fc.constant('null'))),
  fc.tuple(fc.constantFrom('favorite', 'isSpam'), fc.constantFrom('true', 'false', 'null')),
  fc.tuple(fc.constantFrom('createdDateTime', 'updatedDateTime', 'details/closingDateTime'), fc.date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }).map((d) => d.toISOString())),
);
const validComparison = fc.tuple(typed, fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le')).map(([[f, v], op]) => `${f} ${v === 'null' ? (op === 'eq' ? 'eq' : 'ne') : op} ${v}`);
const validCall = fc.tuple(fc.constantFrom('contains', 'startswith', 'endswith'), fc.constantFrom('name', 'customerProfile/name', 'tolower(name)'), text).map(([fn, f, v]) => `${fn}(${f},${v})`);
const validLambda = fc.oneof(
  text.map((v) => `team/any(t:t/email eq ${v})`),
  text.map((v) => `team/all(m: contains(m/lastName, ${v}))`),
  text.map((v) => `tags/any(x: x eq ${v})`),
  fc.constantFrom("registrations/any(r: r/status eq 'Approved')", 'team/any()', 'registrations/any()'),
);
const valid: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    validComparison,
    validCall,
    validLambda,
    fc.tuple(tie('e'), fc.constantFrom(' and ', ' or '), tie('e')).map(([a, op, b]) => `${a}${op}${b}`),
    tie('e').map((e) => `not ${e}`),
    tie('e').map((e) => `(${e})`),
  ),
})).e;

const expression = fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: noisy, weight: 2 });

const garbage = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: fc.constantFrom(...'()\'/ :,eqandornt$@%0123456789'), maxLength: 60 }));

/** Answers seen per status, so a test can show it exercised both outcomes. */
const tally = new Map<number, number>();
const count = (status: number) => tally.set(status, (tally.get(status) ?? 0) + 1);

async function listWith(query: string) {
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
      fc.asyncProperty(fc.oneof(expression, garbage), async (filter) => {
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
    const valid = fc.constantFrom('status', 'name', 'details/dealValue', 'createdDateTime', 'updatedDateTime', 'customerProfile/address/country');
    const path = fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: fc.constantFrom(...fields, '*', 'a/b/c', '', ' '), weight: 1 });
    const direction = fc.oneof({ arbitrary: fc.constantFrom('', ' asc', ' desc'), weight: 6 }, { arbitrary: fc.constant(' sideways'), weight: 1 });
    const list = fc.array(fc.tuple(path, direction).map(([p, d]) => p + d), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(','));
    const option = fc.oneof(
      list.map((v) => `$orderby=${encodeURIComponent(v)}`),
      list.map((v) => `$select=${encodeURIComponent(v)}`),
      list.map((v) => `$expand=${encodeURIComponent(v)}`),
      fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), fc.integer().map(String), garbage).map((v) => `$top=${encodeURIComponent(v)}`),
      fc.oneof(fc.integer({ min: -5, max: 60 }).map(String), fc.integer().map(String), garbage).map((v) => `$skip=${encodeURIComponent(v)}`),
      fc.constantFrom('true', 'false', 'TRUE').map((v) => `$count=${v}`),
      garbage.map((v) => `$count=${encodeURIComponent(v)}`),
      garbage.map((v) => `$skiptoken=${encodeURIComponent(v)}`),
      fc.jsonValue().map((v) => `$skiptoken=${Buffer.from(JSON.stringify(v)).toString('base64url')}`),
      garbage.map((v) => encodeURIComponent(v)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(option, { minLength: 1, maxLength: 4 }), async (options) => {
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
