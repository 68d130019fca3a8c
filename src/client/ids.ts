/**
 * Turns a referral id into one URL path segment.
 *
 * `encodeURIComponent` escapes `/`, `?`, `#`, `%` and spaces, so an id can
 * never leave its segment. It does not escape dots, and the WHATWG URL parser
 * treats `.`, `..` and their `%2e` spellings as dot segments whatever we
 * escape, so those two ids are refused instead of silently addressing the
 * collection or its parent.
 */
export function encodeId(id: unknown): string {
  if (typeof id !== 'string' || !id.trim() || id === '.' || id === '..') {
    throw new TypeError(`id must be a non-empty string other than "." and "..", got ${JSON.stringify(id)}`);
  }
  try {
    return encodeURIComponent(id);
  } catch {
    // encodeURIComponent throws URIError on lone surrogates.
    throw new TypeError('id is not well-formed Unicode');
  }
}

/** A fresh GUID for MS-CorrelationId / MS-RequestId (never Math.random). */
export const newGuid = (): string => globalThis.crypto.randomUUID();
