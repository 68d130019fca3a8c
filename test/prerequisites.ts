// Tests that need something outside node_modules (Debian's Chromium, ../shared beside the
// checkout, a built artefact) call this once at module level. Locally a missing piece skips the
// suite with one line naming it and how to get it; with CI set, it is a failing test instead,
// so a machine that lacks it cannot pass CI by skipping.
import { it } from 'vitest';

/** `missing`: one entry per prerequisite, `false` when present, else "what is missing (how to get it)". */
export function prerequisites(suite: string, missing: (string | false)[]): boolean {
  const absent = missing.filter((m): m is string => typeof m === 'string');
  if (absent.length === 0) return true;
  if (process.env.CI) {
    it(`prerequisites of ${suite}`, () => {
      throw new Error(`${suite}: ${absent.join('; ')}`);
    });
  } else {
    console.warn(`${suite} skipped: ${absent.join('; ')}`);
  }
  return false;
}
