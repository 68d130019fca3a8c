// dist/connector against the schemas Microsoft publishes for connector packages (kept in
// ../shared/schemas, outside this repo). Without them this skips locally and fails under CI.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prerequisites } from '../prerequisites.js';
import { PACKAGE_INPUTS, SHARED, runScript, tempCopy } from './helpers.js';

const SCHEMAS = join(SHARED, 'schemas');
const title = 'published PowerPlatformConnectors schemas';
const available = prerequisites(title, [!existsSync(SCHEMAS) && `${SCHEMAS} is missing (it ships beside the checkout as shared/schemas)`]);

describe.skipIf(!available)(title, () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempCopy(PACKAGE_INPUTS));
    const r = runScript('package.mjs', ['--root', dir]);
    if (r.status !== 0) throw new Error(`package.mjs failed:\n${r.output}`);
  });
  afterAll(() => cleanup?.());

  it('dist/connector passes apiDefinition, apiProperties and settings schemas', () => {
    const r = runScript('validate-package.mjs', [SCHEMAS, '--root', dir]);
    expect(r.output).toContain('passes the published schemas');
    expect(r.status).toBe(0);
  });

  it('names the two allowances it adds to the published schemas, with their sources', () => {
    const r = runScript('validate-package.mjs', [SCHEMAS, '--root', dir]);
    expect(r.stdout).toContain('allowed beyond the published paconn-apiProperties.schema.json: apiProperties.json "scriptOperations" (the operations the custom code answers: Learn');
    expect(r.stdout).toContain('allowed beyond the published paconn-settings.schema.json: settings.json "script" (paconn reads the script file');
  });

  it.each([
    ['apiProperties.json', (d: any) => (d.properties.scriptOperation = ['OnReferralCreatedOrUpdated']), /apiProperties\.json: \/properties: must NOT have additional properties "scriptOperation"/],
    ['apiProperties.json', (d: any) => (d.properties.scriptOperations = 'OnReferralCreatedOrUpdated'), /apiProperties\.json: \/properties\/scriptOperations: must be array/],
    ['apiProperties.json', (d: any) => (d.properties.scriptOperations = []), /apiProperties\.json: \/properties\/scriptOperations: must NOT have fewer than 1 items/],
    ['settings.json', (d: any) => (d.scripts = 'script.csx'), /settings\.json: \/: must NOT have additional properties "scripts"/],
    ['settings.json', (d: any) => (d.script = 42), /settings\.json: \/script: must be string/],
  ])('the allowances relax nothing else: %s', (file, mutate, message) => {
    const path = join(dir, 'dist/connector', file);
    const saved = readFileSync(path);
    const doc = JSON.parse(saved.toString());
    mutate(doc);
    writeFileSync(path, JSON.stringify(doc));
    try {
      const r = runScript('validate-package.mjs', [SCHEMAS, '--root', dir]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(message);
    } finally {
      writeFileSync(path, saved);
    }
  });

  it('reports a violation with the file and JSON pointer', () => {
    const file = join(dir, 'dist/connector/settings.json');
    const saved = readFileSync(file);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(saved.toString()), environment: 'not-a-guid' }));
    try {
      const r = runScript('validate-package.mjs', [SCHEMAS, '--root', dir]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/dist\/connector\/settings\.json: \/environment: must match pattern/);
    } finally {
      writeFileSync(file, saved);
    }
  });
});
