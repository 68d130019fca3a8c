import { describe, expect, it } from 'vitest';
import { generateReferrals } from '../../src/emulator/core/seed.js';
import { STATUS_SUBSTATUSES, TERMINAL_REGISTRATION_STATUSES } from '../../src/emulator/core/transitions.js';
import { checkDefinition } from '../../src/emulator/core/validate.js';

const anchor = new Date('2026-01-15T10:30:00Z');
const DAY = 86_400_000;

describe('seed data', () => {
  const referrals = generateReferrals({ seed: 1, count: 300, anchor }) as any[];

  it('is deterministic for a seed and anchor day, and differs across seeds', () => {
    expect(generateReferrals({ seed: 1, count: 300, anchor: new Date('2026-01-15T23:59:00Z') })).toEqual(referrals);
    const other = generateReferrals({ seed: 2, count: 300, anchor });
    expect(other.map((r) => r.id)).not.toEqual(referrals.map((r) => r.id));
  });

  it('validates against the spec Referral schema', () => {
    for (const seed of [1, 2, 3]) {
      for (const r of generateReferrals({ seed, count: 300, anchor })) expect(checkDefinition('Referral', r)).toBeUndefined();
    }
  });

  it('has unique ids and quoted eTags', () => {
    expect(new Set(referrals.map((r) => r.id)).size).toBe(300);
    expect(referrals.every((r) => /^"[0-9a-f-]{36}"$/.test(r.eTag))).toBe(true);
  });

  it('holds statuses the transition rules allow, with consistent timestamps', () => {
    const statuses = new Set<string>();
    for (const r of referrals) {
      statuses.add(`${r.status}/${r.substatus}`);
      expect(STATUS_SUBSTATUSES[r.status]).toContain(r.substatus);
      const created = Date.parse(r.createdDateTime);
      const updated = Date.parse(r.updatedDateTime);
      expect(created).toBeLessThanOrEqual(updated);
      expect(updated).toBeLessThanOrEqual(anchor.getTime());
      expect(anchor.getTime() - updated).toBeLessThan(91 * DAY);
      if (r.acceptedDateTime) expect(Date.parse(r.acceptedDateTime)).toBeGreaterThanOrEqual(created);
      if (r.status === 'Closed') expect(r.closedDateTime).toBe(r.updatedDateTime);
      if (r.status === 'New' && r.direction === 'Incoming') expect(Date.parse(r.expirationDateTime)).toBeGreaterThan(anchor.getTime() - DAY);
      if (r.substatus === 'Expired') expect(Date.parse(r.closedDateTime) - created).toBe(14 * DAY);
      for (const reg of r.registrations) {
        for (const t of Object.values(reg.statusHistory) as string[]) {
          expect(Date.parse(t)).toBeGreaterThanOrEqual(created);
          expect(Date.parse(t)).toBeLessThanOrEqual(updated);
        }
        expect(r.registrationStatus).toBe(reg.status);
      }
    }
    expect(statuses.size).toBeGreaterThanOrEqual(7);
  });

  it('spreads updatedDateTime over the last 90 days and covers the data a CRM sync meets', () => {
    const ages = referrals.map((r) => (anchor.getTime() - Date.parse(r.updatedDateTime)) / DAY);
    expect(Math.min(...ages)).toBeLessThan(3);
    expect(Math.max(...ages)).toBeGreaterThan(80);
    const countries = new Set(referrals.map((r) => r.customerProfile.address.country));
    expect(countries.size).toBeGreaterThanOrEqual(10);
    const regs = referrals.filter((r) => r.registrations.length);
    expect(regs.length).toBeGreaterThan(10);
    expect(regs.some((r) => TERMINAL_REGISTRATION_STATUSES.includes(r.registrations[0].status))).toBe(true);
    expect(new Set(referrals.map((r) => r.direction))).toEqual(new Set(['Incoming', 'Outgoing']));
    expect(new Set(referrals.map((r) => r.type))).toEqual(new Set(['Shared', 'Independent']));
    expect(referrals.some((r) => r.customerProfile.team[0].email.endsWith('.com'))).toBe(true);
  });

  it('is created in creation order', () => {
    const created = referrals.map((r) => r.createdDateTime);
    expect(created).toEqual([...created].sort());
  });
});
