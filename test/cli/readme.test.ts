// The command-line sessions in both READMEs, run as written against an emulator started like
// `npm start`, print what the READMEs show (see readme-examples.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportedEnv, normalise, READMES, ROOT, runSteps, sessions } from './readme-examples.js';

const FIX = 'npx tsx test/cli/readme-examples.ts --write';

describe.each(READMES)('%s command-line sessions', (name) => {
  const markdown = readFileSync(join(ROOT, name), 'utf8');
  const steps = sessions(markdown);

  it('cover every command of the command line', () => {
    const used = new Set(steps.map((s) => /^npx partner-center-referrals (\w+)/.exec(s.command)?.[1]).filter(Boolean));
    expect([...used].sort()).toEqual(['export', 'frobnicate', 'get', 'push', 'sync', 'watch']);
  });

  it('print what is shown', async () => {
    const { outputs, apiUrl } = await runSteps(steps, exportedEnv(markdown));
    steps.forEach((step, i) => {
      expect(normalise(outputs[i]!, apiUrl), `${name}: \`${step.command}\` printed something else. Fix: ${FIX}`).toBe(normalise(step.output, apiUrl));
    });
  }, 120_000);
});

/** Whether `.gitignore` ignores `path` (its subset of the syntax: `/` anchors, a trailing `/` is a folder, `*`, `[0-9]`). */
function ignored(path: string, gitignore: string): boolean {
  const parts = path.split('/');
  return gitignore
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .some((raw) => {
      const glob = raw.trim().replace(/^\/|\/$/g, '');
      const re = new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
      return parts.some((part, i) => {
        if (raw.trim().endsWith('/') && i === parts.length - 1) return false;
        return raw.startsWith('/') ? re.test(parts.slice(0, i + 1).join('/')) : re.test(part);
      });
    });
}

it('git ignores every file a newcomer creates in the checkout by following the READMEs', () => {
  const gitignore = readFileSync(join(ROOT, '.gitignore'), 'utf8');
  const created = new Set<string>();
  for (const name of READMES) {
    const markdown = readFileSync(join(ROOT, name), 'utf8');
    for (const { command } of sessions(markdown)) {
      for (const m of command.matchAll(/--out (\S+)/g)) created.add(m[1]!).add(`${m[1]}.partial-12345`);
      for (const m of command.matchAll(/--db (\S+)/g)) for (const suffix of ['', '-journal', '-lock']) created.add(`${m[1]}${suffix}`);
    }
    for (const m of markdown.matchAll(/npm run generate:sdk -- \S+ \.\/(\S+)/g)) created.add(`${m[1]}/setup.py`);
  }
  created.add(/CHECKPOINT_FILE \?\? '([^']+)'/.exec(readFileSync(join(ROOT, 'examples/crm-sync.ts'), 'utf8'))![1]!);
  expect([...created].sort()).toEqual(['crm.db', 'crm.db-journal', 'crm.db-lock', 'japan.csv', 'japan.csv.partial-12345', 'referrals-checkpoint.json', 'sdk/python/setup.py']);
  expect([...created].filter((path) => !ignored(path, gitignore))).toEqual([]);
  // And the matcher is no yes-man: sources stay tracked.
  expect(['src/cli/main.ts', 'README.md', 'examples/crm-sync.ts'].filter((path) => ignored(path, gitignore))).toEqual([]);
});

it('runs the command line from src/cli, never from a build in dist/ that may be stale', async () => {
  const [step] = sessions('```console\n$ echo npx partner-center-referrals\n```\n');
  const { outputs } = await runSteps([step!], {});
  expect(outputs[0]).toBe(`node ${join(ROOT, 'node_modules/tsx/dist/cli.mjs')} ${join(ROOT, 'src/cli/main.ts')}\n`);
});
