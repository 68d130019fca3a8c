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

it('runs the command line from src/cli, never from a build in dist/ that may be stale', async () => {
  const [step] = sessions('```console\n$ echo npx partner-center-referrals\n```\n');
  const { outputs } = await runSteps([step!], {});
  expect(outputs[0]).toBe(`node ${join(ROOT, 'node_modules/tsx/dist/cli.mjs')} ${join(ROOT, 'src/cli/main.ts')}\n`);
});
