// The two remaining build steps: the committed icon is what make-icon.mjs draws, and docs.mjs
// makes a self-contained Redoc page (or fails without replacing the previous one).
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { ROOT, readJson, runScript, tempCopy } from './helpers.js';

describe('assets/icon.png', () => {
  it('is exactly what scripts/make-icon.mjs draws from apiProperties.json', () => {
    const { dir, cleanup } = tempCopy(['apiProperties.json']);
    try {
      const r = runScript('make-icon.mjs', ['--root', dir]);
      expect(r.status, r.output).toBe(0);
      expect(readFileSync(join(dir, 'assets/icon.png')).equals(readFileSync(join(ROOT, 'assets/icon.png')))).toBe(true);
    } finally {
      cleanup();
    }
  });

  it('is 230x230, opaque, on the brand colour, with a centred logo of about 160x160', () => {
    const png = PNG.sync.read(readFileSync(join(ROOT, 'assets/icon.png')));
    expect([png.width, png.height]).toEqual([230, 230]);
    const brand = readJson(join(ROOT, 'apiProperties.json')).properties.iconBrandColor as string;
    const bg = [1, 3, 5].map((i) => Number.parseInt(brand.slice(i, i + 2), 16));
    let [minX, minY, maxX, maxY] = [230, 230, -1, -1];
    let translucent = 0;
    for (let y = 0; y < 230; y++) {
      for (let x = 0; x < 230; x++) {
        const i = (y * 230 + x) * 4;
        if (png.data[i + 3] !== 255) translucent++;
        if (png.data[i] !== bg[0] || png.data[i + 1] !== bg[1] || png.data[i + 2] !== bg[2]) {
          [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
        }
      }
    }
    expect(translucent).toBe(0);
    const [w, h] = [maxX - minX + 1, maxY - minY + 1];
    expect(Math.max(w, h)).toBeGreaterThanOrEqual(140);
    expect(Math.max(w, h)).toBeLessThanOrEqual(180);
    expect(Math.abs((minX + maxX) / 2 - 115)).toBeLessThanOrEqual(10);
    expect(Math.abs((minY + maxY) / 2 - 115)).toBeLessThanOrEqual(10);
  });
});

describe('docs.mjs', () => {
  it('builds one offline page with every operation, and keeps it when the spec breaks', () => {
    const { dir, cleanup } = tempCopy(['openapi/referrals.yaml']);
    try {
      const r = runScript('docs.mjs', ['--root', dir]);
      expect(r.status, r.output).toBe(0);
      const page = join(dir, 'dist/docs/index.html');
      const html = readFileSync(page, 'utf8');
      // The size it reports is the file's, in bytes (the page has non-ASCII text: not its length in characters).
      expect(r.stdout).toContain(`docs: dist/docs/index.html (${statSync(page).size} bytes,`);
      expect(Buffer.byteLength(html)).toBeGreaterThan(html.length);
      expect(html).not.toMatch(/<script[^>]*\bsrc=["']?(https?:)?\/\//i);
      expect(html).toContain('"disableTelemetry":true');
      expect(html).not.toContain('https://cdn.redoc.ly/'); // the sidebar logo would be fetched on every view
      expect(html).toContain('<title>Partner Center Referrals API reference</title>');
      for (const id of ['GetAllReferrals', 'CreateDealRegistrationByReferralId', 'OnReferralCreatedOrUpdated']) expect(html).toContain(id);

      const spec = join(dir, 'openapi/referrals.yaml');
      writeFileSync(spec, `${readFileSync(spec, 'utf8')}\npaths: duplicate\n`);
      const broken = runScript('docs.mjs', ['--root', dir]);
      expect(broken.status).toBe(1);
      expect(broken.stderr).toMatch(/openapi\/referrals\.yaml:\d+:\d+: YAML DUPLICATE_KEY/);
      expect(readFileSync(page, 'utf8')).toBe(html);
    } finally {
      cleanup();
    }
  });
});
