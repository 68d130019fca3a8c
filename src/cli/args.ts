/**
 * The command line's options and commands, and the checks that turn a typo into a usage error
 * that says what was meant ("did you mean --format?"), before node:util's parseArgs, whose own
 * message for an unknown option suggests nothing.
 */

/** Every option: its type and, for the messages, what its value is called in the usage text. */
export const OPTIONS = {
  'base-url': { type: 'string', value: '<url>' },
  token: { type: 'string', value: '<token>' },
  'client-id': { type: 'string', value: '<id>' },
  tenant: { type: 'string', value: '<id>' },
  'rate-limit': { type: 'string', value: '<calls>/<seconds>' },
  filter: { type: 'string', value: '<odata>' },
  format: { type: 'string', value: '<format>' },
  out: { type: 'string', value: '<file>' },
  db: { type: 'string', value: '<file>' },
  since: { type: 'string', value: '<time>' },
  once: { type: 'boolean' },
  'poll-interval': { type: 'string', value: '<seconds>' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, { type: 'string' | 'boolean'; value?: string; short?: string }>;

export type OptionName = keyof typeof OPTIONS;

/** A command line that cannot be run as typed: exit 2, with the usage text. */
export class UsageError extends Error {}

/** A failure the user can act on, its message saying what to do: `Error: <message>`, exit 1. */
export class CliError extends Error {}

/** Levenshtein distance, with an adjacent swap counted as one edit ("fromat" is one from "format"). */
export function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * What `word` was most likely meant as: the candidates closest to it, if within a third of their
 * length (at least one edit), else those it is the start of; at most two, [] when none is close.
 */
export function closest(word: string, candidates: readonly string[]): string[] {
  const lower = word.toLowerCase();
  const near = candidates.map((c) => ({ c, d: distance(lower, c.toLowerCase()) })).filter(({ c, d }) => d <= Math.max(1, Math.floor(c.length / 3)));
  const best = Math.min(...near.map((n) => n.d));
  const found = near.length ? near.filter((n) => n.d === best).map((n) => n.c) : candidates.filter((c) => lower.length >= 2 && c.startsWith(lower));
  return found.length <= 2 ? found : [];
}

const didYouMean = (word: string, candidates: readonly string[], show: (c: string) => string) => {
  const match = closest(word, candidates);
  return match.length ? ` Did you mean ${match.map(show).join(' or ')}?` : '';
};

/**
 * Refuses unknown options (with a suggestion) and options given without their value, reading
 * `argv` as parseArgs will: `--name=value` or `--name value`, `--` ends the options.
 */
export function checkOptions(argv: readonly string[]): void {
  const names = Object.keys(OPTIONS) as OptionName[];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return;
    if (!arg.startsWith('-') || arg === '-') continue;
    if (!arg.startsWith('--')) {
      const letter = arg.slice(1, 2);
      if (!names.some((n) => (OPTIONS[n] as { short?: string }).short === letter)) {
        throw new UsageError(`Unknown option '-${letter}'.${didYouMean(arg.slice(1), names, (n) => `--${n}`)}`);
      }
      continue;
    }
    const [name, value] = [arg.slice(2, arg.includes('=') ? arg.indexOf('=') : undefined), arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined];
    if (!(name in OPTIONS)) throw new UsageError(`Unknown option '--${name}'.${didYouMean(name, names, (n) => `--${n}`)}`);
    const option = OPTIONS[name as OptionName];
    if (option.type !== 'string') continue;
    if (value === undefined) {
      const next = argv[i + 1];
      // Another option where the value should be: the value was left out (parseArgs calls it "ambiguous").
      if (next === undefined || /^--[a-z-]+(=|$)/.test(next)) throw new UsageError(`--${name} needs a value: --${name} ${option.value}.`);
      i++;
      if (next === '') throw new UsageError(`--${name} is empty; give it a value (--${name} ${option.value}) or leave it out.`);
    } else if (value === '') {
      throw new UsageError(`--${name} is empty; give it a value (--${name} ${option.value}) or leave it out.`);
    }
  }
}

/** A usage error for an unknown `what` (command, format), with `hint` and the closest of `known`. */
export function unknown(what: string, word: string, known: readonly string[], hint?: string): UsageError {
  return new UsageError(`Unknown ${what} '${word}'${hint ? `; ${hint}` : ''}.${didYouMean(word, known, (c) => `'${c}'`)}`);
}
