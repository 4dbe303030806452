/** Digits and symbols read as letters in obfuscated words (`k1ll`, `b0mb`, `s3x`, `1gn0re`). */
const leetLetters: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};

/** Tokens where digits are meant as digits: ages (`12yo`), ordinals, units, `3d`. */
const numericToken = /^\d+(?:yo|yr|yrs|st|nd|rd|th|d|k|m|s|am|pm|px|gb|mb|kb|ms|x)$/;

function unleet(token: string): string {
  if (!/[0-9@$]/.test(token) || numericToken.test(token)) return token;
  const letters = token.replace(/[^a-z]/g, '').length;
  if (letters < 2) return token;
  let result = '';
  for (let index = 0; index < token.length; index += 1) {
    const character = token[index] as string;
    const replacement = leetLetters[character];
    const previous = token[index - 1] ?? '';
    const next = token[index + 1] ?? '';
    // A digit counts as a letter only beside a letter, so `mp3` and `h2o` keep most of their meaning.
    result += replacement !== undefined && (/[a-z]/.test(previous) || /[a-z]/.test(next)) ? replacement : character;
  }
  return result;
}

/**
 * The form of a text the lexicon and pattern checks match against: lower case, accents removed,
 * apostrophes dropped (`I'm` → `im`), obfuscating digits read as letters (`k1ll` → `kill`),
 * spelled-out letters joined (`k i l l`, `k.i.l.l` → `kill`), every other non-alphanumeric run
 * turned into one space, and a space at each end so patterns can use `\b` safely.
 */
export function normalizeForMatching(text: string): string {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc'`]/g, '');
  const joined = folded.replace(/\b(?:[a-z][ .\-_*]){3,}[a-z]\b/g, (match) => match.replace(/[ .\-_*]/g, ''));
  const tokens = joined
    .replace(/[^a-z0-9@$]+/g, ' ')
    .trim()
    .split(' ');
  return ` ${tokens.map(unleet).join(' ')} `;
}

/** A non-capturing alternation of phrases, longest first, with spaces matching one space. */
export function alternation(phrases: readonly string[]): string {
  const sorted = [...new Set(phrases)].sort((left, right) => right.length - left.length);
  return `(?:${sorted.map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
}
