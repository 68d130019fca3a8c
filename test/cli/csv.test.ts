// CSV export: values escaped by csv-stringify, columns named by JSON path, and a round trip back
// to the referral for text with commas, quotes, newlines and Japanese.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromCsv, toCsv } from '../../src/cli/flatten.js';
import { createReferralsClient } from '../../src/index.js';
import { newReferral } from '../client/emulator-harness.js';
import { serve, useCleanup, withoutNulls } from './helpers.js';

const { tmp } = useCleanup();

const TRICKY = {
  ...newReferral('株式会社コントソ, "東京" 支社'),
  name: 'Deal, with "quotes"\nand a second line',
  externalReferenceId: '00042',
  details: { notes: '見積もりは来週、"至急"。\r\nCall back, please.', dealValue: 1000, currency: 'JPY', customerRequestedContact: false },
};

describe('CSV', () => {
  it('round-trips a referral with commas, quotes, newlines and Japanese through export', async () => {
    const s = await serve();
    const client = createReferralsClient({ baseUrl: s.server.apiUrl, getToken: () => 't', rateLimit: false });
    const created = await client.createReferral(TRICKY);
    const out = join(tmp(), 'one.csv');
    expect(await s.cli(['export', '--format', 'csv', '--out', out])).toEqual({ code: 0, stdout: '', stderr: '' });
    const text = readFileSync(out, 'utf8');
    // Escaped, not mangled: the quotes doubled, the field quoted, the newline kept inside it.
    expect(text).toContain('"Deal, with ""quotes""\nand a second line"');
    const [back] = fromCsv(text);
    expect(back).toEqual(withoutNulls(await client.getReferralById(created.id!)));
    // Typed by the schema: a string of digits stays a string, a number a number, false a boolean.
    expect(back!.externalReferenceId).toBe('00042');
    expect((back!.details as { dealValue: unknown }).dealValue).toBe(1000);
    expect((back!.details as { customerRequestedContact: unknown }).customerRequestedContact).toBe(false);
  });

  it('keeps empty strings, empty arrays and empty objects apart from missing values', () => {
    const r = { id: 'a', name: '', tags: [], customerProfile: { name: 'x', address: {} }, campaignId: null };
    const text = toCsv([r, { id: 'b', name: 'n' }]);
    expect(text.split('\n')[0]).toBe('id,name,tags,customerProfile.name,customerProfile.address');
    expect(fromCsv(text)).toEqual([{ id: 'a', name: '', tags: [], customerProfile: { name: 'x', address: {} } }, { id: 'b', name: 'n' }]);
  });

  it('names the column of a cell that does not fit the schema', () => {
    expect(() => fromCsv('id,details.dealValue\na,lots\n')).toThrow('CSV column "details.dealValue" must hold a number, got "lots"');
    expect(() => fromCsv('id,isSpam\na,yes\n')).toThrow('CSV column "isSpam" must hold true or false, got "yes"');
    expect(() => fromCsv('id,team..x\na,1\n')).toThrow('CSV column "team..x" is not a path');
  });
});
