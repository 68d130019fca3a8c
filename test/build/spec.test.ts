// The exported Swagger (what the connector ships, = generated/referrals.swagger.json): the
// operations flows bind to, paths the validator accepts, and every field of the published
// connector's Referral at its nested path with a compatible type.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prerequisites } from '../prerequisites.js';
import { ROOT, SHARED, readJson, runScript, tempCopy } from './helpers.js';

type Schema = Record<string, any>;
const spec = readJson(join(ROOT, 'generated/referrals.swagger.json'));
const seedFields: { path: string; type: string }[] = readJson(join(ROOT, 'test/build/fixtures/seed-referral-fields.json'));
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const operations = Object.entries<Schema>(spec.paths).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((m) => ({ path, method: m, op: item[m] as Schema })),
);

function deref(schema: Schema | undefined, seen = new Set<string>()): Schema | undefined {
  const ref = schema?.$ref;
  if (typeof ref !== 'string') return schema;
  const name = /^#\/definitions\/(.+)$/.exec(ref)?.[1];
  if (name === undefined || seen.has(name)) return undefined;
  seen.add(name);
  return deref(spec.definitions?.[name], seen);
}

/** Follows a dotted seed path through $refs and array items; keys may contain dots (@odata.context). */
function schemaAt(root: Schema, dotted: string): Schema | undefined {
  let schema = deref(root);
  let rest = dotted;
  while (rest) {
    while (schema?.type === 'array') schema = deref(schema.items);
    const props: Schema = schema?.properties ?? {};
    const key = Object.keys(props)
      .filter((k) => rest === k || rest.startsWith(`${k}.`))
      .sort((a, b) => b.length - a.length)[0];
    if (key === undefined) return undefined;
    schema = deref(props[key]);
    rest = rest.slice(key.length + 1);
  }
  return schema;
}

const isObjectSchema = (s: Schema | undefined) => s?.type === 'object' || (s?.type === undefined && (s?.properties || s?.additionalProperties));

/** Is our schema a faithful (or more precise) rendering of the seed's type column? */
function compatible(seedType: string, s: Schema): boolean {
  switch (seedType) {
    case 'string':
      return s.type === 'string';
    case 'boolean':
      return s.type === 'boolean';
    case 'float':
      return s.type === 'number';
    case 'object':
      return Boolean(isObjectSchema(s));
    case 'array of':
      return s.type === 'array' && s.items !== undefined;
    case 'array of object':
      return s.type === 'array' && Boolean(isObjectSchema(deref(s.items)));
    case 'array of string':
      return s.type === 'array' && deref(s.items)?.type === 'string';
    default:
      throw new Error(`unknown seed type ${seedType}`);
  }
}

describe('exported swagger', () => {
  it('has exactly the 7 actions of the published connector plus the trigger', () => {
    expect(operations.map((o) => o.op.operationId).sort()).toEqual(
      [
        'CreateDealRegistrationByReferralId',
        'CreateReferral',
        'GetAllReferrals',
        'GetReferralById',
        'OnReferralCreatedOrUpdated',
        'PatchDealRegistrationByReferralId',
        'PatchReferralById',
        'UpdateReferralById',
      ].sort(),
    );
    const trigger = operations.find((o) => o.op.operationId === 'OnReferralCreatedOrUpdated')!;
    expect(trigger.op['x-ms-trigger']).toBe('batch');
    expect(trigger.op.summary).toBe('When a referral is created or updated');
    expect(operations.filter((o) => o.op['x-ms-trigger'] !== undefined)).toHaveLength(1);
    expect(operations.find((o) => o.op.operationId === 'UpdateReferralById')!.op.deprecated).toBe(true);
  });

  it('has no paths that differ only by case or a trailing slash', () => {
    const paths = Object.keys(spec.paths);
    for (const p of paths) expect(p, p).not.toMatch(/.\/$/);
    const normalised = paths.map((p) => p.toLowerCase().replace(/\/+$/, ''));
    expect(new Set(normalised).size).toBe(paths.length);
  });

  it('is Swagger 2.0 for api.partner.microsoft.com/v1.0/engagements over https', () => {
    expect(spec).toMatchObject({ swagger: '2.0', host: 'api.partner.microsoft.com', basePath: '/v1.0/engagements', schemes: ['https'] });
  });

  it('the seed fixture holds the whole Referral table of the published connector', () => {
    expect(seedFields.length).toBe(111);
    expect(seedFields.map((f) => f.path)).toEqual(expect.arrayContaining(['@odata.context', 'consent.consentToToShareInfoWithOthers', 'registrations.solutionDetails.marketplaceTransactionDetails.isMarketplaceTransacted', 'closedDateTime']));
  });

  it.each(seedFields.map((f) => [f.path, f.type]))('Referral has %s (%s)', (path, type) => {
    const found = schemaAt(spec.definitions.Referral, path);
    expect(found, `Referral.${path} is missing`).toBeDefined();
    expect(compatible(type, found!), `Referral.${path}: seed type "${type}", spec has ${JSON.stringify({ type: found!.type, items: found!.items })}`).toBe(true);
  });

  it('the walker itself fails on a missing or misplaced path', () => {
    expect(schemaAt(spec.definitions.Referral, 'customerProfile.address.nosuchfield')).toBeUndefined();
    expect(schemaAt(spec.definitions.Referral, 'email')).toBeUndefined(); // team.email is not top level
    expect(compatible('boolean', schemaAt(spec.definitions.Referral, 'team.email')!)).toBe(false);
  });
});

describe('extract-seed-fields.mjs', () => {
  const seed = join(SHARED, 'seed', 'partner-center-referrals-connector.ja.txt');
  const seedReady = prerequisites('the seed extraction test', [!existsSync(seed) && `${seed} is missing (it ships beside the checkout as shared/seed)`]);
  it.skipIf(!seedReady)('reproduces the committed fixture from ../shared/seed', () => {
    const { dir, cleanup } = tempCopy([]);
    try {
      const r = runScript('extract-seed-fields.mjs', [seed, '--root', dir]);
      expect(r.status, r.output).toBe(0);
      expect(readFileSync(join(dir, 'test/build/fixtures/seed-referral-fields.json'), 'utf8')).toBe(
        readFileSync(join(ROOT, 'test/build/fixtures/seed-referral-fields.json'), 'utf8'),
      );
    } finally {
      cleanup();
    }
  });
});
