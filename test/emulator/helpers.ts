/**
 * Shared by every emulator test: emulators made here validate each response they send against
 * the spec (operation + status) and the test fails on the first drift. The pairs seen are kept
 * for the coverage assertion of contract.test.ts.
 */
import { afterEach, expect } from 'vitest';
import { ReferralsEmulator, type EmulatorOptions, type EmulatorResponse, type Exchange } from '../../src/emulator/core/index.js';
import { checkResponse } from '../../src/emulator/core/validate.js';

export const ORIGIN = 'https://api.partner.microsoft.com';
export const BASE = `${ORIGIN}/v1.0/engagements`;
export const AUTH: Readonly<Record<string, string>> = { authorization: 'Bearer test-token' };

/** `${operationId | '-'} ${status}` of every response checked in this test file. */
export const seenPairs = new Set<string>();
const violations: string[] = [];

/** Whether a list request selects fields (directly, or through the state in its $skiptoken). */
function isProjection(url: URL): boolean {
  if (url.searchParams.has('$select')) return true;
  const token = url.searchParams.get('$skiptoken');
  if (!token) return false;
  try {
    return typeof JSON.parse(Buffer.from(token, 'base64url').toString('utf8')).select === 'string';
  } catch {
    return false;
  }
}

function checkExchange(x: Exchange): void {
  const { response } = x;
  if (response.fault === 'hang' || response.fault === 'reset') return; // nothing reaches the client
  seenPairs.add(`${x.operation ?? '-'} ${response.status}`);
  const problems = checkResponse({
    operationId: x.operation,
    status: response.status,
    headers: response.headers,
    body: response.body,
    partial: isProjection(new URL(x.request.url)),
  });
  if (problems.length) violations.push(`${x.request.method} ${x.request.url} -> ${response.status}: ${problems.join('; ')}`);
}

afterEach(() => {
  const found = violations.splice(0);
  expect(found, 'responses that do not match the spec').toEqual([]);
});

/** A clock tests move by hand. */
export function manualClock(start = '2026-01-15T10:00:00.000Z') {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

/** An emulator whose responses are contract-checked; throttling is off unless asked for. */
export function newEmulator(options: EmulatorOptions = {}): ReferralsEmulator {
  return new ReferralsEmulator({
    rateLimit: false,
    ...options,
    onResponse: (x) => {
      checkExchange(x);
      options.onResponse?.(x);
    },
  });
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** Sent as JSON with Content-Type application/json. */
  json?: unknown;
  /** Sent verbatim. */
  raw?: string;
}

export interface CallResult extends EmulatorResponse {
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary fields
}

/** One request through `handle()`; `path` is relative to the base path unless absolute. */
export async function call(emulator: ReferralsEmulator, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...AUTH, ...options.headers };
  let body = options.raw;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
  const response = await emulator.handle({ method, url: path.startsWith('http') ? path : BASE + path, headers, body });
  let json: unknown;
  if (response.body && !response.fault) json = JSON.parse(response.body);
  return { ...response, json };
}

/** A valid create body (the fields the facts say are required, and a few more). */
export function referralInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Contoso Azure migration',
    type: 'Shared',
    qualification: 'SalesQualified',
    customerProfile: {
      name: 'Contoso Ltd',
      size: '50to1000employees',
      address: { addressLine1: '1 Pine Street', city: 'Seattle', state: 'WA', postalCode: '98101', country: 'US' },
      team: [{ firstName: 'Sue', lastName: 'Smith', email: 'sue.smith@contoso.com' }],
    },
    consent: { consentToContact: true, consentToToShareInfoWithOthers: true, consentToShareReferralWithMicrosoftSellers: true },
    details: { notes: 'Wants a migration plan.', dealValue: 50000, currency: 'USD', closingDateTime: '2026-06-30T00:00:00Z' },
    team: [{ firstName: 'John', lastName: 'Doe', email: 'john.doe@fabrikam.com' }],
    tags: ['priority'],
    ...overrides,
  };
}

/** Creates a referral and returns the created body. */
export async function createReferral(emulator: ReferralsEmulator, overrides: Record<string, unknown> = {}): Promise<any> {
  const res = await call(emulator, 'POST', '/referrals', { json: referralInput(overrides) });
  expect(res.status, res.body).toBe(201);
  return res.json;
}

/** Follows @odata.nextLink from `first` to the end; returns every page. */
export async function allPages(emulator: ReferralsEmulator, first: string, headers: Record<string, string> = {}): Promise<any[]> {
  const pages: any[] = [];
  let next: string | undefined = first;
  while (next) {
    const res = await call(emulator, 'GET', next, { headers });
    expect(res.status, res.body).toBe(200);
    pages.push(res.json);
    next = res.json['@odata.nextLink'];
    if (pages.length > 1000) throw new Error('paging does not end');
  }
  return pages;
}
