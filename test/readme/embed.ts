// The READMEs show code samples that live in real files under examples/, between markers:
//
//   <!-- embed: examples/quickstart.ts -->
//   ```ts
//   ...the file, verbatim...
//   ```
//   <!-- /embed -->
//
// so the samples are compiled and run by the tests and cannot rot. After editing a sample, copy
// it into both READMEs with:  npx tsx test/readme/embed.ts --write
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const READMES = ['README.md', 'README.ja.md'] as const;

const EMBED = /<!-- embed: (\S+) -->\n```(\w*)\n([\s\S]*?)```\n<!-- \/embed -->/g;

export interface Embed {
  /** Path of the sample, relative to the repository root. */
  file: string;
  /** The code block's content as it stands in the README. */
  shown: string;
  /** 1-based line of the opening marker. */
  line: number;
}

export function embeds(markdown: string): Embed[] {
  return [...markdown.matchAll(EMBED)].map((m) => ({
    file: m[1]!,
    shown: m[3]!,
    line: markdown.slice(0, m.index).split('\n').length,
  }));
}

/** The markdown with every embedded block replaced by the current content of its file. */
export function syncEmbeds(markdown: string, read: (file: string) => string): string {
  return markdown.replace(EMBED, (_all, file: string, lang: string) => {
    const code = read(file);
    return `<!-- embed: ${file} -->\n\`\`\`${lang}\n${code.endsWith('\n') ? code : `${code}\n`}\`\`\`\n<!-- /embed -->`;
  });
}

const readSample = (file: string) => readFileSync(join(ROOT, file), 'utf8');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--write')) {
  for (const readme of READMES) {
    const path = join(ROOT, readme);
    const before = readFileSync(path, 'utf8');
    const after = syncEmbeds(before, readSample);
    if (after !== before) writeFileSync(path, after);
    console.log(`${after === before ? 'unchanged' : 'updated  '} ${readme} (${embeds(after).map((e) => e.file).join(', ')})`);
  }
}
