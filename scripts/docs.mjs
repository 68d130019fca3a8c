#!/usr/bin/env node
// Builds dist/docs/index.html: the Redoc reference of openapi/referrals.yaml as ONE
// self-contained page (Redoc inlined with --inlineBundle, so it works offline and from file://),
// with Redoc's in-page telemetry switched off.
// Usage: node scripts/docs.mjs [--root <dir>]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadSpec, SPEC_FILE } from './lib/spec.mjs';
import { QUIET_ENV, UserError, packageBin, parseCli, runMain, tempSibling } from './lib/util.mjs';

const DOCS_FILE = 'dist/docs/index.html';

/** Scripts loaded from another host would leave the page blank offline. */
function externalScripts(html) {
  return [...html.matchAll(/<script\b[^>]*\bsrc\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/gi)].map((m) => m[1]);
}

// Redoc 3's sidebar footer ("API docs by Redocly") loads its logo from cdn.redoc.ly after the
// page mounts: a request off the machine on every view. Keep the attribution, draw the logo
// as an inline SVG instead. If Redoc changes these URLs the check below fails loudly.
const svg = (width, text) =>
  `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="16" viewBox="0 0 ${width} 16"><text x="0" y="12.5" font-family="Segoe UI,Helvetica,Arial,sans-serif" font-size="13" font-weight="600" fill="#5c5c5c">${text}</text></svg>`)}`;
const CDN_LOGOS = new Map([
  ['https://cdn.redoc.ly/redoc/logo-mini-full.svg', svg(58, 'Redocly')],
  ['https://cdn.redoc.ly/redoc/logo-mini.svg', svg(12, 'R')],
]);

/** Replaces the CDN logo URLs baked into the Redoc bundle by inline images. */
function inlineCdnLogos(html) {
  let out = html;
  for (const [url, data] of CDN_LOGOS) out = out.split(url).join(data);
  return out;
}

async function main() {
  const { root } = parseCli(process.argv.slice(2));
  // Fail on a broken spec with our file:line:col message rather than Redocly's.
  const { spec } = loadSpec(root);
  const out = join(root, DOCS_FILE);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = tempSibling(out);
  try {
    const title = `${spec.info?.title ?? 'Partner Center Referrals'} API reference`;
    const result = spawnSync(
      process.execPath,
      [packageBin('@redocly/cli', 'redocly'), 'build-docs', SPEC_FILE, '--output', tmp, '--inlineBundle', '--title', title, '--openapi.disableTelemetry=true'],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...QUIET_ENV, NO_COLOR: '1' },
      },
    );
    if (result.error) throw new UserError(`cannot run redocly: ${result.error.message}`);
    if (result.status !== 0) {
      throw new UserError(`redocly build-docs failed on ${SPEC_FILE} (exit ${result.status}):\n${result.stdout}${result.stderr}\nFix: run \`npm run lint\` and correct the spec.`);
    }
    const html = inlineCdnLogos(readFileSync(tmp, 'utf8'));
    if (html.includes('https://cdn.redoc.ly/')) {
      throw new UserError(`${DOCS_FILE}: the Redoc bundle still references https://cdn.redoc.ly/ (${/https:\/\/cdn\.redoc\.ly\/[^\s"'`)]*/.exec(html)[0]}), which the page would fetch.\nFix: add that URL to CDN_LOGOS in scripts/docs.mjs.`);
    }
    const external = externalScripts(html);
    if (external.length) {
      throw new UserError(`${DOCS_FILE}: the page loads scripts from the network (${external.join(', ')}), so it is blank offline.\nFix: keep --inlineBundle in scripts/docs.mjs.`);
    }
    // Redoc 3 ships a browser telemetry client (otel.cloud.redocly.com); the page must have it off.
    if (!/__redoc_options\s*=\s*\{[^;]*"disableTelemetry":true/.test(html)) {
      throw new UserError(`${DOCS_FILE}: Redoc's browser telemetry is not disabled in the page options.\nFix: pass --openapi.disableTelemetry=true and set REDOCLY_TELEMETRY=off.`);
    }
    writeFileSync(tmp, html);
    renameSync(tmp, out);
    process.stdout.write(`docs: ${DOCS_FILE} (${Buffer.byteLength(html)} bytes, self-contained: no external scripts, no CDN logo, telemetry off)\n`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

await runMain('docs', main);
