/** Digits and symbols read as letters in obfuscated words (`k1ll`, `b0mb`, `s3x`, `1gn0re`). */
export const leetLetters: Readonly<Record<string, string>> = {
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
  if (!/[a-z]/.test(token)) return token;
  // A digit counts as a letter only beside a letter (so `mp3` and `h2o` keep most of their meaning); a
  // digit read as a letter lets its neighbour be read too (`573p` → `57ep` → `5tep` → `step`).
  let result = token;
  for (let changed = true; changed;) {
    changed = false;
    let next = '';
    for (let index = 0; index < result.length; index += 1) {
      const character = result[index] as string;
      const replacement = leetLetters[character];
      const beside = /[a-z]/.test(result[index - 1] ?? '') || /[a-z]/.test(result[index + 1] ?? '');
      if (replacement !== undefined && beside) {
        next += replacement;
        changed = true;
      } else {
        next += character;
      }
    }
    result = next;
  }
  return result;
}

/**
 * Cyrillic and Greek letters that look like Latin ones (`Ьоmb` with a Cyrillic `о`), mapped to the
 * Latin letter they imitate. Lower case only: the text is lower-cased first.
 */
const confusables: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  ь: 'b',
  с: 'c',
  д: 'd',
  е: 'e',
  ё: 'e',
  һ: 'h',
  н: 'h',
  і: 'i',
  ї: 'i',
  ј: 'j',
  к: 'k',
  ӏ: 'l',
  м: 'm',
  п: 'n',
  о: 'o',
  р: 'p',
  ԛ: 'q',
  г: 'r',
  ѕ: 's',
  т: 't',
  и: 'u',
  ц: 'u',
  ѵ: 'v',
  ш: 'w',
  ԝ: 'w',
  х: 'x',
  у: 'y',
  з: 'z',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  ζ: 'z',
};
const confusable = new RegExp(`[${Object.keys(confusables).join('')}]`, 'g');

/**
 * Letters written one by one with the same single separator between them (`b o m b`, `b.o.m.b`,
 * `b - o - m - b`, `b_o_m_b`): two letters or more. Another gap (two spaces, a slash, a different
 * separator) separates words, so `h o w  t o` reads `how to` and `h-o-w t-o` reads `how to`.
 * Fragments of words (`bo mb`) are not glued: no rule tells them from abbreviations without a
 * dictionary of every harmful word.
 */
const spelledWithMarks = /\b[a-z](?: ?([.\-_*+]) ?[a-z]\b)(?: ?\1 ?[a-z]\b)*/g;
const spelledWithSpaces = /\b[a-z](?: [a-z]\b)+/g;

/**
 * The form of a text the lexicon and pattern checks match against: format characters (zero-width
 * spaces and joiners, soft hyphens, direction marks) removed, compatibility forms folded (NFKD:
 * full-width and styled letters become plain ones), accents and other combining marks removed, lower
 * case, Cyrillic and Greek look-alikes read as Latin letters, apostrophes dropped (`I'm` → `im`),
 * obfuscating digits and symbols read as letters (`k1ll` → `kill`, `k!ll` → `kill`), spelled-out
 * letters joined (`k i l l`, `k.i.l.l` → `kill`), every other non-alphanumeric run turned into one
 * space, and a space at each end so patterns can use `\b` safely.
 */
export function normalizeForMatching(text: string): string {
  const known = rememberedNormalized.get(text);
  if (known !== undefined) return known;
  const normalized = normalizeText(text);
  if (text.length > rememberedMaxChars) return normalized;
  if (rememberedNormalized.size >= rememberedTexts)
    rememberedNormalized.delete(rememberedNormalized.keys().next().value as string);
  rememberedNormalized.set(text, normalized);
  return normalized;
}

/**
 * How many recent texts keep their normalised form: the injection rules, the harm lexicon and the learned classifier
 * each normalise the same text of a request one after the other.
 */
const rememberedTexts = 64;
/** Longer texts are not kept, so the memory stays within a few megabytes. */
const rememberedMaxChars = 20_000;
const rememberedNormalized = new Map<string, string>();

function normalizeText(text: string): string {
  const folded = foldCharacters(text)
    .replace(/[\u2018\u2019\u02bc'`]/g, '')
    // `!` and `|` between letters stand for `i` and `l` (`k!ll`, `ki||`).
    .replace(/(?<=[a-z])[!|]+(?=[a-z])/g, (marks) =>
      marks[0] === '!' ? 'i'.repeat(marks.length) : 'l'.repeat(marks.length),
    );
  const joined = folded
    .replace(spelledWithMarks, (match) => match.replace(/[ .\-_*+]/g, ''))
    .replace(spelledWithSpaces, (match) => match.replace(/ /g, ''));
  const tokens = joined
    .replace(/[^a-z0-9@$]+/g, ' ')
    .trim()
    .split(' ');
  return ` ${tokens.map(unleet).join(' ')} `;
}

/**
 * A text with its disguises of single characters undone, punctuation and line breaks kept (for rules
 * about markup and line starts): format characters (zero-width spaces and joiners, soft hyphens,
 * direction marks) removed, compatibility forms folded (NFKD), combining marks removed, lower case,
 * Cyrillic and Greek look-alikes read as Latin letters.
 */
export function foldCharacters(text: string): string {
  return text
    .replace(/\p{Cf}+/gu, '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(confusable, (letter) => confusables[letter] ?? letter);
}

/** A non-capturing alternation of phrases, longest first, with spaces matching one space. */
export function alternation(phrases: readonly string[]): string {
  const sorted = [...new Set(phrases)].sort((left, right) => right.length - left.length);
  return `(?:${sorted.map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
}
