import { describe, expect, it } from 'vitest';
import { encodeId, newGuid } from '../../src/client/ids.js';

describe('encodeId', () => {
  it.each([
    ['a/b', 'a%2Fb'],
    ['../x', '..%2Fx'],
    ['x?$top=1', 'x%3F%24top%3D1'],
    ['x#frag', 'x%23frag'],
    ['a b', 'a%20b'],
    ['100%', '100%25'],
    ['é', '%C3%A9'],
  ])('keeps %j inside one path segment', (id, encoded) => {
    expect(encodeId(id)).toBe(encoded);
    const url = new URL(`https://h/v1.0/engagements/referrals/${encodeId(id)}`);
    expect(url.pathname.split('/')).toHaveLength(5);
    expect(url.search).toBe('');
    expect(url.hash).toBe('');
    expect(decodeURIComponent(url.pathname.split('/')[4]!)).toBe(id);
  });

  it.each(['', '   ', '.', '..'])('refuses %j', (id) => {
    expect(() => encodeId(id)).toThrow(TypeError);
  });

  it('refuses non-strings and lone surrogates with a message naming the problem', () => {
    expect(() => encodeId(undefined)).toThrow(/^id must be a non-empty string other than "." and "..", got undefined$/);
    expect(() => encodeId(42)).toThrow(/^id must be .* got 42$/);
    expect(() => encodeId('..')).toThrow(/got "\.\."$/);
    expect(() => encodeId('\uD800')).toThrow(/id is not well-formed Unicode/);
  });
});

describe('newGuid', () => {
  it('returns distinct RFC 4122 v4 GUIDs', () => {
    const a = newGuid();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newGuid()).not.toBe(a);
  });
});
