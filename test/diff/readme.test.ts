// The READMEs' "Change the spec safely" section: present in both languages and linked from the
// contents, its acknowledgement example accepted by the gate as written, its commands runnable.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM script without type declarations
import { loadAcknowledgements } from '../../scripts/lib/diff/gate.mjs';
import { ROOT, runScript } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'diff-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The section from its anchor to the next second-level section. */
function section(markdown: string): string {
  const start = markdown.indexOf('<a id="change-safely"></a>\n## ');
  expect(start, 'the section is missing').toBeGreaterThan(0);
  const end = markdown.indexOf('\n## ', markdown.indexOf('\n## ', start) + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

describe.each(['README.md', 'README.ja.md'])('%s', (name) => {
  const markdown = readFileSync(join(ROOT, name), 'utf8');
  const text = section(markdown);

  it('has the section, linked from the contents', () => {
    const contents = markdown.slice(markdown.indexOf('\n## '), markdown.indexOf('<a id="build">'));
    expect(contents).toMatch(/^- \[[^\]]+\]\(#change-safely\)$/m);
  });

  it('says what the gate checks, how to deprecate, how to acknowledge and how to cut a release', () => {
    for (const needle of ['`v*`', '`openapi/baseline/`', '`deprecated: true`', '(deprecated)', '`x-ms-api-annotation`', '`openapi/breaking-changes.yaml`', '0.2.0', 'npm run diff:gate -- --release', 'git tag v0.2.0']) {
      expect(text, needle).toContain(needle);
    }
  });

  it('shows an acknowledgement the gate accepts as written', () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(text)?.[1];
    expect(yaml).toBeDefined();
    const root = join(dir, name);
    mkdirSync(join(root, 'openapi'), { recursive: true });
    writeFileSync(join(root, 'openapi/breaking-changes.yaml'), yaml!);
    expect(loadAcknowledgements(root)).toEqual([expect.objectContaining({ class: 'operation-deleted', path: 'operation/GetReferralById' })]);
  });

  it('gives `npm run diff` commands that run (0 or 1: this checkout may carry acknowledged changes)', () => {
    const lines = [...text.matchAll(/^npm run diff -- (.*)$/gm)].map((m) => m[1]!.split(' '));
    expect(lines.length).toBeGreaterThan(0);
    for (const args of lines) {
      const r = runScript('diff.mjs', args);
      expect(r.stderr, args.join(' ')).toBe('');
      expect([0, 1]).toContain(r.status);
    }
  });
});
