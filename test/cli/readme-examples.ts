// The READMEs' command-line section shows sessions against `npm start`:
//
//   ```console
//   $ npx partner-center-referrals sync --db crm.db --once
//   synced: 300 changes applied; crm.db mirrors 300 referrals
//   ```
//
// Each `$` line runs in bash, in order, in one fresh folder, against an emulator started as
// `npm start` starts it (seed 1, 300 referrals, throttled), with the environment the section's
// `export REFERRALS_...` line sets. `npx partner-center-referrals` runs the built bin
// (dist/lib/src/cli/main.js) when there is one, else the source under tsx. The output shown must
// be what the command prints; only the port of the server and timestamps may differ (the seeded
// data is anchored on today's date). After changing the CLI, rewrite the outputs with:
//   npx tsx test/cli/readme-examples.ts --write
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReferralsEmulator } from '../../src/emulator/core/index.js';
import { startEmulatorServer } from '../../src/emulator/http.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const READMES = ['README.md', 'README.ja.md'] as const;
/** What the README tells the reader to point the CLI at. */
const README_API = 'http://127.0.0.1:4010/v1.0/engagements';
const SESSION = /^```console\n([\s\S]*?)^```$/gm;

export interface Step {
  command: string;
  output: string;
}

/** The `$` commands of every console block in `markdown`, with the output shown under each. */
export function sessions(markdown: string): Step[] {
  const steps: Step[] = [];
  for (const block of markdown.matchAll(SESSION)) {
    for (const line of block[1]!.split('\n').slice(0, -1)) {
      if (line.startsWith('$ ')) steps.push({ command: line.slice(2), output: '' });
      else if (steps.length) steps.at(-1)!.output += `${line}\n`;
      else throw new Error(`console block starts with output instead of a $ command: ${line}`);
    }
  }
  return steps;
}

/** The environment the section's `export REFERRALS_...=...` line sets. */
export function exportedEnv(markdown: string): Record<string, string> {
  const line = /^export (REFERRALS_\w+=\S+(?: REFERRALS_\w+=\S+)*)$/m.exec(markdown);
  if (!line) throw new Error('the README sets no REFERRALS_ variables with an export line');
  return Object.fromEntries(line[1]!.split(' ').map((kv) => kv.split('=') as [string, string]));
}

/** Timestamps follow the day the emulator seeds on; the port is the test server's. */
export function normalise(text: string, apiUrl: string): string {
  return text.replaceAll(apiUrl, README_API).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');
}

/** Runs the steps against a fresh emulator as `npm start` makes it; resolves to each one's output. */
export async function runSteps(steps: Step[], env: Record<string, string>): Promise<{ outputs: string[]; apiUrl: string }> {
  const emulator = new ReferralsEmulator({ seed: 1, count: 300 });
  const server = await startEmulatorServer({ emulator, port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'pcr-readme-'));
  // The source under tsx, as `npm start` runs the emulator: a build in dist/ may be older than src/cli.
  const bin = `node ${join(ROOT, 'node_modules/tsx/dist/cli.mjs')} ${join(ROOT, 'src/cli/main.ts')}`;
  try {
    const outputs: string[] = [];
    for (const step of steps) {
      // Where the sqlite3 shell is not installed, run its SQL through better-sqlite3 instead.
      const sqlite3 = `command -v sqlite3 >/dev/null || sqlite3() { node -e 'const D = require(process.argv[1]); new D(process.argv[2]).exec(process.argv[3])' ${JSON.stringify(join(ROOT, 'node_modules/better-sqlite3'))} "$1" "$2"; }\n`;
      const command = sqlite3 + step.command.replaceAll('npx partner-center-referrals', bin);
      // Output only: stderr joins stdout, as a terminal shows both.
      // Asynchronously: a synchronous spawn would block the event loop that serves the emulator.
      outputs.push(
        await new Promise<string>((resolve) =>
          execFile('bash', ['-c', `{ ${command}
} 2>&1`], { cwd: dir, env: { ...process.env, ...env, REFERRALS_API_URL: server.apiUrl } }, (_err, stdout) => resolve(stdout)),
        ),
      );
    }
    return { outputs, apiUrl: server.apiUrl };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--write')) {
  for (const readme of READMES) {
    const path = join(ROOT, readme);
    const markdown = readFileSync(path, 'utf8');
    const steps = sessions(markdown);
    const { outputs, apiUrl } = await runSteps(steps, exportedEnv(markdown));
    let i = 0;
    const updated = markdown.replace(SESSION, (_all, body: string) => {
      const lines = body.split('\n').slice(0, -1).filter((l) => l.startsWith('$ '));
      return `\`\`\`console\n${lines.map((l) => `${l}\n${outputs[i++]!.replaceAll(apiUrl, README_API)}`).join('')}\`\`\``;
    });
    writeFileSync(path, updated);
    console.log(`${readme}: ${steps.length} commands run, outputs written`);
  }
}
