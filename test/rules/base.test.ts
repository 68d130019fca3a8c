import { describe, expect, it } from 'vitest';
import { fixture, lintWith } from './helpers.js';

describe('base fixture', () => {
  it('passes the full ruleset (custom rules and spectral:oas) with zero results', async () => {
    const results = await lintWith(null, fixture());
    expect(results.map(r => `${r.code} ${r.path.join('.')}: ${r.message}`)).toEqual([]);
  });

  it('is caught by several rules at once when broken in several places', async () => {
    const results = await lintWith(
      null,
      fixture(doc => {
        doc.info.title = 'Contoso Tasks API';
        doc.paths['/tasks/{taskId}'].delete.operationId = 'delete_task';
      }),
    );
    expect(results.map(r => r.code).sort()).toEqual(['OperationIdSanitized', 'ValueContainsRestrictedWords']);
  });
});
