// The connector package: reproducible, exactly six files, every input checked, and never
// half-written when a check fails.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingMono } from '../../src/connector-runtime/index.js';
import { prerequisites } from '../prerequisites.js';
import { PACKAGE_INPUTS, ROOT, readJson, runScript, tempCopy } from './helpers.js';

const FILES = ['apiDefinition.swagger.json', 'apiProperties.json', 'icon.png', 'script.csx', 'settings.json', 'readme.md'];
const monoReady = prerequisites('package.mjs compiling script.csx', [missingMono()]);
const ZIP = 'dist/partner-center-referrals-connector.zip';
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempCopy(PACKAGE_INPUTS));
  const r = runScript('package.mjs', ['--root', dir]);
  if (r.status !== 0) throw new Error(`package.mjs failed on the committed inputs:\n${r.output}`);
});
afterAll(() => cleanup());

/** Replaces one input, runs package.mjs, restores the input; returns the run. */
function packageWith(input: string, content: Buffer | string | null) {
  const file = join(dir, input);
  const saved = readFileSync(file);
  if (content === null) rmSync(file);
  else writeFileSync(file, content);
  try {
    return runScript('package.mjs', ['--root', dir]);
  } finally {
    writeFileSync(file, saved);
  }
}

function pngOf(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) png.data.set(pixel(x, y), (y * width + x) * 4);
  }
  return PNG.sync.write(png);
}

describe('package.mjs', () => {
  it('builds a byte-identical zip twice', () => {
    const first = sha256(join(dir, ZIP));
    const r = runScript('package.mjs', ['--root', dir]);
    expect(r.status).toBe(0);
    expect(sha256(join(dir, ZIP))).toBe(first);
    expect(r.stdout).toContain(`sha256 ${first}`);
  });

  it('zips exactly the six package files, in a fixed order, equal to dist/connector', () => {
    const entries = unzipSync(new Uint8Array(readFileSync(join(dir, ZIP))));
    expect(Object.keys(entries)).toEqual(FILES);
    expect(readdirSync(join(dir, 'dist/connector')).sort()).toEqual([...FILES].sort());
    for (const name of FILES) {
      expect(Buffer.from(entries[name]!).equals(readFileSync(join(dir, 'dist/connector', name))), name).toBe(true);
    }
    // No staging leftovers next to the outputs.
    expect(readdirSync(join(dir, 'dist')).sort()).toEqual(['connector', 'partner-center-referrals-connector.zip']);
  });

  it('ships the bundled spec, canonical apiProperties.json and the committed icon', () => {
    const out = (f: string) => readFileSync(join(dir, 'dist/connector', f));
    expect(out('apiDefinition.swagger.json').equals(readFileSync(join(ROOT, 'generated/referrals.swagger.json'))), 'apiDefinition.swagger.json differs from generated/referrals.swagger.json: run npm run generate').toBe(true);
    expect(out('apiProperties.json').toString()).toBe(`${JSON.stringify(readJson(join(ROOT, 'apiProperties.json')), null, 2)}\n`);
    expect(out('icon.png').equals(readFileSync(join(ROOT, 'assets/icon.png')))).toBe(true);
    expect(out('script.csx').equals(readFileSync(join(ROOT, 'openapi/script.csx')))).toBe(true);
  });

  it('writes settings.json in the paconn format', () => {
    const settings = readJson(join(dir, 'dist/connector/settings.json'));
    expect(settings).toEqual({
      apiDefinition: 'apiDefinition.swagger.json',
      apiProperties: 'apiProperties.json',
      icon: 'icon.png',
      script: 'script.csx',
      powerAppsUrl: 'https://api.powerapps.com',
      powerAppsApiVersion: '2016-11-01',
      flowUrl: 'https://api.flow.microsoft.com',
      flowApiVersion: '2016-11-01',
    });
    for (const key of ['apiDefinition', 'apiProperties', 'icon', 'script']) expect(FILES).toContain(settings[key]);
  });

  it('writes readme.md with every PowerPlatformConnectors section and every operation', () => {
    const readme = readFileSync(join(dir, 'dist/connector/readme.md'), 'utf8');
    expect(readme).toMatch(/^# \S/m);
    expect(readme).toMatch(/^Publisher: \S/m);
    for (const section of ['Prerequisites', 'Supported Operations', 'Obtaining Credentials', 'Getting Started', 'Known Issues and Limitations', 'Frequently Asked Questions', 'Deployment Instructions']) {
      expect(readme, section).toMatch(new RegExp(`^##+ ${section}\\s*$`, 'm'));
    }
    expect(readme).not.toContain('<!-- operations -->');
    const spec = readJson(join(ROOT, 'generated/referrals.swagger.json'));
    for (const item of Object.values<any>(spec.paths)) {
      for (const op of Object.values<any>(item)) {
        if (!op?.operationId) continue;
        expect(readme).toContain(`**${op.summary}**`);
        expect(readme).toContain(`(\`${op.operationId}\`)`);
      }
    }
    expect(readme).toMatch(/^###+ Supported Triggers\s*$/m);
  });

  describe('rejects a bad icon, naming assets/icon.png, and keeps the previous package', () => {
    const ok = () => sha256(join(dir, ZIP));
    const brand = () => readJson(join(ROOT, 'apiProperties.json')).properties.iconBrandColor as string;
    const rgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

    it.each([
      ['a transparent pixel', () => pngOf(230, 230, (x, y) => [...rgb(brand()), x === 100 && y === 100 ? 0 : 255]), /assets\/icon\.png: pixel \(100, 100\) is transparent/],
      ['a wrong background colour', () => pngOf(230, 230, () => [255, 0, 0, 255]), /assets\/icon\.png: corner pixel \(0, 0\) is #ff0000, but apiProperties\.json iconBrandColor is #0078d4/],
      ['a non-PNG file', () => Buffer.from('GIF89a not a png'), /assets\/icon\.png: not a valid PNG image/],
      ['a non-square image', () => pngOf(230, 200, () => [...rgb(brand()), 255]), /assets\/icon\.png: 230x200 is not square/],
      ['a too small image', () => pngOf(64, 64, () => [...rgb(brand()), 255]), /assets\/icon\.png: 64x64 is outside 100-512 px/],
    ])('%s', (_name, make, message) => {
      const before = ok();
      const r = packageWith('assets/icon.png', make());
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(ok()).toBe(before);
      expect(readdirSync(join(dir, 'dist')).sort()).toEqual(['connector', 'partner-center-referrals-connector.zip']);
    });
  });

  describe('rejects a bad apiProperties.json, naming it, without a partial zip', () => {
    it('malformed JSON: names the file and the position; previous package untouched', () => {
      const before = sha256(join(dir, ZIP));
      const r = packageWith('apiProperties.json', '{\n  "properties": {\n    "iconBrandColor": "#0078d4",\n  }\n}\n');
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/apiProperties\.json:4:3: invalid JSON/);
      expect(sha256(join(dir, ZIP))).toBe(before);
    });

    it('missing file on a fresh tree: names the file and leaves no dist output at all', () => {
      rmSync(join(dir, 'dist'), { recursive: true, force: true });
      try {
        const r = packageWith('apiProperties.json', null);
        expect(r.status).toBe(1);
        expect(r.stderr).toContain('apiProperties.json: file not found');
        expect(existsSync(join(dir, ZIP))).toBe(false);
        expect(existsSync(join(dir, 'dist/connector'))).toBe(false);
      } finally {
        expect(runScript('package.mjs', ['--root', dir]).status).toBe(0);
      }
    });

    it.each([
      ['a client secret', (d: any) => (d.properties.connectionParameters.token.oAuthSettings.clientSecret = 'abc'), /clientSecret: a client secret is in the package/],
      ['a bad connection parameter name', (d: any) => (d.properties.connectionParameters['token id'] = { type: 'string' }), /connectionParameters\["token id"\]: the name does not match/],
      ['aad without resourceUri', (d: any) => delete d.properties.connectionParameters.token.oAuthSettings.customParameters.resourceUri, /needs customParameters\.resourceUri\.value/],
      ['an unknown policy template', (d: any) => d.properties.policyTemplateInstances.push({ templateId: 'rewriteurl', title: 't', parameters: { 'x-ms-apimTemplate-operationName': ['GetAllReferrals'] } }), /templateId "rewriteurl" is not a known policy template/],
      ['an operation the spec lacks', (d: any) => d.properties.policyTemplateInstances[0].parameters['x-ms-apimTemplate-operationName'].push('DeleteReferral'), /names operation "DeleteReferral", which openapi\/referrals\.yaml does not define/],
      ['routerequesttoendpoint without newPath', (d: any) => { const p = d.properties.policyTemplateInstances.find((i: any) => i.templateId === 'routerequesttoendpoint'); delete p.parameters['x-ms-apimTemplateParameter.newPath']; }, /routerequesttoendpoint has no parameters\["x-ms-apimTemplateParameter\.newPath"\]/],
      ['pollingtrigger without triggerDataPath', (d: any) => d.properties.policyTemplateInstances.push({ templateId: 'pollingtrigger', title: 'p', parameters: { 'x-ms-apimTemplate-operationName': ['OnReferralCreatedOrUpdated'], 'x-ms-apimTemplateParameter.triggerConfig': {} } }), /pollingtrigger has no parameters\["x-ms-apimTemplateParameter\.triggerDataPath"\]/],
      ['scriptOperations naming an operation the spec lacks', (d: any) => d.properties.scriptOperations.push('OnReferralDeleted'), /properties\.scriptOperations: names operation "OnReferralDeleted", which openapi\/referrals\.yaml does not define/],
      ['an empty scriptOperations (the script would answer every operation)', (d: any) => (d.properties.scriptOperations = []), /properties\.scriptOperations: must be a non-empty array of operationIds/],
      ['a reserved brand colour', (d: any) => (d.properties.iconBrandColor = '#007ee5'), /iconBrandColor: #007ee5 is not allowed/],
      ['a missing iconBrandColor', (d: any) => delete d.properties.iconBrandColor, /properties\.iconBrandColor: required property is missing/],
      ['a structural error only the schema catches', (d: any) => (d.properties.capabilities = ['actions', 'webhooks']), /apiProperties\.json: \/properties\/capabilities\/1: must be equal to one of the allowed values/],
    ])('%s', (_name, mutate, message) => {
      const before = sha256(join(dir, ZIP));
      const doc = readJson(join(ROOT, 'apiProperties.json'));
      mutate(doc);
      const r = packageWith('apiProperties.json', JSON.stringify(doc, null, 2));
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('Fix:');
      expect(sha256(join(dir, ZIP))).toBe(before);
    });
  });

  it.skipIf(!monoReady)('rejects a script that does not compile, naming openapi/script.csx:line:column, and keeps the previous package', () => {
    const before = sha256(join(dir, ZIP));
    const source = readFileSync(join(ROOT, 'openapi/script.csx'), 'utf8');
    const line = source.split('\n').findIndex((l) => l.includes('private const int PageSize = 100;')) + 1;
    const r = packageWith('openapi/script.csx', source.replace('private const int PageSize = 100;', 'private const int PageSize = 100'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`openapi/script\\.csx:${line + 1}:\\d+: error CS\\d+: `));
    expect(r.stderr).toContain('Fix: correct the C# at that line');
    // The page the fix points to exists.
    const page = /see (\S+\.md)/.exec(r.stderr)?.[1];
    expect(page && existsSync(join(ROOT, page)), page).toBe(true);
    expect(sha256(join(dir, ZIP))).toBe(before);
  });

  it('rejects a script of 1 MB or more', () => {
    const source = readFileSync(join(ROOT, 'openapi/script.csx'), 'utf8');
    const r = packageWith('openapi/script.csx', `${source}//${'x'.repeat(1024 * 1024)}\n`);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/openapi\/script\.csx: custom code: is \d+ bytes; custom code must be less than 1 MB/);
  });

  it('rejects a readme source without the operations marker', () => {
    const source = readFileSync(join(ROOT, 'openapi/connector-readme.md'), 'utf8');
    const r = packageWith('openapi/connector-readme.md', source.replace('<!-- operations -->', ''));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('openapi/connector-readme.md: the marker <!-- operations --> appears 0 times');
  });
});

describe('apiProperties.json', () => {
  it('passes our own schema (scripts/lib/apiProperties.schema.json)', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\/\/\S+$/i);
    const validate = ajv.compile(readJson(join(ROOT, 'scripts/lib/apiProperties.schema.json')));
    const ok = validate(readJson(join(ROOT, 'apiProperties.json')));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
});
