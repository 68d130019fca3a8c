import { describe, expect, it } from 'vitest';
import { diffPatch, isIdempotentPatch, jsonEqual } from '../../src/client/patch.js';

describe('diffPatch', () => {
  const before = {
    id: 'r1',
    eTag: '"1"',
    status: 'New',
    details: { dealValue: 10, notes: 'a' },
    team: [{ email: 'a@x' }],
    'a/b~c': 1,
  };

  it('replaces changed leaves and adds new members, recursing into objects', () => {
    const after = structuredClone(before);
    after.status = 'Active';
    after.details.dealValue = 20;
    (after.details as Record<string, unknown>).currency = 'USD';
    expect(diffPatch(before, after)).toEqual([
      { op: 'replace', path: '/status', value: 'Active' },
      { op: 'replace', path: '/details/dealValue', value: 20 },
      { op: 'add', path: '/details/currency', value: 'USD' },
    ]);
  });

  it('returns no operations when nothing changed', () => {
    expect(diffPatch(before, structuredClone(before))).toEqual([]);
  });

  it('diffs equal-length arrays element by element, appends with "-", replaces shorter arrays whole', () => {
    const changed = { ...before, team: [{ email: 'b@x' }] };
    expect(diffPatch(before, changed)).toEqual([{ op: 'replace', path: '/team/0/email', value: 'b@x' }]);
    const longer = { ...before, team: [{ email: 'a@x' }, { email: 'c@x' }] };
    expect(diffPatch(before, longer)).toEqual([{ op: 'add', path: '/team/-', value: { email: 'c@x' } }]);
    const shorter = { ...before, team: [] };
    expect(diffPatch(before, shorter)).toEqual([{ op: 'replace', path: '/team', value: [] }]);
  });

  it('escapes ~ and / in member names (RFC 6901)', () => {
    expect(diffPatch(before, { ...before, 'a/b~c': 2 })).toEqual([{ op: 'replace', path: '/a~1b~0c', value: 2 }]);
  });

  it('sets null through replace and refuses a removed member, naming it', () => {
    expect(diffPatch(before, { ...before, details: { dealValue: 10, notes: null } })).toEqual([
      { op: 'replace', path: '/details/notes', value: null },
    ]);
    const { notes: _, ...details } = before.details;
    expect(() => diffPatch(before, { ...before, details })).toThrow(/removes \/details\/notes.*set it to null/);
    expect(() => diffPatch(before, { ...before, status: undefined })).toThrow(/removes \/status/);
  });

  it('never touches read-only members, changed or dropped', () => {
    const readOnly = (p: string) => p === 'id' || p === 'eTag' || p === 'team/*/since';
    const { eTag: _, ...withoutETag } = before;
    expect(diffPatch(before, { ...withoutETag, id: 'other', status: 'Closed' }, readOnly)).toEqual([
      { op: 'replace', path: '/status', value: 'Closed' },
    ]);
    expect(diffPatch({ status: 'New' }, { status: 'New', id: 'x' }, readOnly)).toEqual([]);
    const team = { team: [{ email: 'a', since: 1 }] };
    expect(diffPatch(team, { team: [{ email: 'b', since: 2 }] }, readOnly)).toEqual([{ op: 'replace', path: '/team/0/email', value: 'b' }]);
    expect(diffPatch(team, { team: [{ email: 'a' }] }, readOnly)).toEqual([]);
  });
});

describe('isIdempotentPatch', () => {
  it('is false only for array inserts', () => {
    expect(isIdempotentPatch([{ op: 'replace', path: '/registrations/0/status', value: 'x' }])).toBe(true);
    expect(isIdempotentPatch([{ op: 'add', path: '/details/notes', value: 'x' }])).toBe(true);
    expect(isIdempotentPatch([{ op: 'add', path: '/registrations/-', value: {} }])).toBe(false);
    expect(isIdempotentPatch([{ op: 'add', path: '/team/2', value: {} }])).toBe(false);
  });
});

describe('jsonEqual', () => {
  it('compares JSON values structurally, treating undefined members as absent', () => {
    expect(jsonEqual({ a: [1, { b: 2 }], c: undefined }, { a: [1, { b: 2 }] })).toBe(true);
    expect(jsonEqual({ a: [1] }, { a: [1, 2] })).toBe(false);
    expect(jsonEqual({ a: 1 }, [1])).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
  });
});
