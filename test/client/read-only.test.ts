import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isReadOnlyReferralMember, readOnlyReferralMembers } from '../../src/client/read-only.js';

interface Schema {
  $ref?: string;
  readOnly?: boolean;
  allOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
}

/** Every readOnly member reachable from Referral in the generated OpenAPI 3 document, as diffPatch patterns. */
function readOnlyPatternsFromSpec(): string[] {
  const doc = JSON.parse(readFileSync(new URL('../../generated/referrals.openapi.json', import.meta.url), 'utf8'));
  const schemas: Record<string, Schema> = doc.components.schemas;
  const found: string[] = [];
  const walk = (s: Schema, path: string[], seen: string[]): void => {
    if (s.$ref) {
      const name = s.$ref.split('/').pop()!;
      if (!seen.includes(name)) walk(schemas[name]!, path, [...seen, name]);
      return;
    }
    if (s.readOnly && path.length) {
      found.push(path.join('/'));
      return;
    }
    s.allOf?.forEach((x) => walk(x, path, seen));
    if (s.items) walk(s.items, [...path, '*'], seen);
    for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, [...path, k], seen);
  };
  walk(schemas.Referral!, [], ['Referral']);
  return found;
}

describe('read-only Referral members', () => {
  it('match the readOnly members of the spec exactly', () => {
    expect([...readOnlyReferralMembers()].sort()).toEqual(readOnlyPatternsFromSpec().sort());
  });

  it('answer for patterns, not for writable members', () => {
    expect(isReadOnlyReferralMember('eTag')).toBe(true);
    expect(isReadOnlyReferralMember('customerProfile/isMatchingComplete')).toBe(true);
    expect(isReadOnlyReferralMember('status')).toBe(false);
    expect(isReadOnlyReferralMember('details/notes')).toBe(false);
  });
});
