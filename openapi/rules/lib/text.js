// String checks shared by the Power Platform rules (connector string guidance).

// Short words that Title Case and sentence case leave lowercase.
const MINOR_WORDS = new Set([
  'a', 'an', 'the', 'and', 'but', 'or', 'nor', 'for', 'so', 'yet', 'as', 'at', 'by', 'in', 'of', 'off', 'on',
  'per', 'to', 'up', 'via', 'vs', 'with', 'from', 'into', 'onto', 'over', 'than', 'if', 'is',
]);

const words = text => text.trim().split(/\s+/).filter(Boolean);

// The first letter of a word, skipping leading punctuation such as "(" or "@".
const firstLetter = word => word.match(/\p{L}/u)?.[0] ?? null;

const isUpper = letter => letter !== letter.toLowerCase() && letter === letter.toUpperCase();

// Acronyms and identifiers such as ID, URL, OData, eTag keep their own casing.
const isAcronym = word => /^[^\p{L}]*\p{Lu}{2,}/u.test(word);

/** Title Case: every word starts with a capital except minor words after the first one. */
export function titleCaseProblems(text) {
  const problems = [];
  words(text).forEach((word, index) => {
    const letter = firstLetter(word);
    if (letter === null || /^[^\p{L}]*\d/u.test(word)) return;
    const bare = word.replace(/[^\p{L}\p{N}'-]/gu, '').toLowerCase();
    if (index > 0 && MINOR_WORDS.has(bare)) return;
    if (!isUpper(word.replace(/^[^\p{L}]*/u, '')[0] ?? '')) problems.push(word);
  });
  return problems;
}

/**
 * Sentence case: capital first letter, later words lowercase unless they are
 * names. Names cannot be told from words, so only text whose every later word
 * (two or more, acronyms and minor words aside) is capitalised counts as Title Case.
 */
export function isSentenceCase(text) {
  const all = words(text);
  const first = all[0] === undefined ? null : firstLetter(all[0]);
  if (first === null || !isUpper(first)) return false;
  const later = all.slice(1).filter(word => {
    const bare = word.replace(/[^\p{L}\p{N}'-]/gu, '').toLowerCase();
    return firstLetter(word) !== null && !MINOR_WORDS.has(bare) && !isAcronym(word);
  });
  return !(later.length >= 2 && later.every(word => isUpper(firstLetter(word))));
}

/** A sentence starts with a capital (or a code span/quote) and ends with . ! or ? (optionally closed by a quote or bracket). */
export function isSentence(text) {
  const trimmed = text.trim();
  if (!/[.!?]["')\]`]*$/.test(trimmed)) return false;
  const letter = firstLetter(trimmed);
  const startsWithCode = /^[`"'(\[@$]/.test(trimmed);
  return startsWithCode || (letter !== null && isUpper(letter) && trimmed.indexOf(letter) === 0) || /^\d/.test(trimmed);
}

/** Case-insensitive whole-word (or whole-phrase) search; returns the matched text. */
export function findWord(text, word) {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return text.match(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu'))?.[0] ?? null;
}

// Scripts that are certainly not English text.
const NON_LATIN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Thai}\p{Script=Devanagari}\u3000-\u303f\uff00-\uffef]/u;

/** The first character that cannot belong to English text, or null. */
export function nonEnglishCharacter(text) {
  return text.match(NON_LATIN)?.[0] ?? null;
}

/**
 * Shortens long values for messages. Spectral treats "{{name}}" in a function's message as a
 * template and replaces it (by nothing when it names no variable), so a value such as the host
 * "{{replace_with_your_domain}}" would print as ""; an invisible word joiner between the braces
 * keeps the value as written.
 */
export function quote(value, max = 60) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text.length > max ? `${text.slice(0, max - 1)}…` : text).replaceAll('{{', '{\u2060{');
}
