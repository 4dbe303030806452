/**
 * Personal data written to slip past plain patterns: e-mail addresses with `at`/`dot` spelled out
 * (`jane dot doe at gmail dot com`, `jane[at]gmail[dot]com`) and numbers written as words
 * (`four one one one …`). Each finder returns the span as written and the decoded value.
 */

/** A span of obfuscated personal data and what it decodes to. */
export interface DecodedSpan {
  start: number;
  end: number;
  /** The value decoded: `jane.doe@gmail.com`, or the digits of a number written in words. */
  decoded: string;
}

/**
 * Top-level domains accepted after a spelled-out `dot`: generic ones and the country codes of the
 * six languages' countries and their neighbours. A spelled form needs one of these to end it, so
 * "look at the dot com era" is not an address but "jane at gmail dot com" is.
 */
const spelledTlds = [
  'com',
  'org',
  'net',
  'edu',
  'gov',
  'io',
  'co',
  'info',
  'biz',
  'me',
  'app',
  'dev',
  'eu',
  'uk',
  'us',
  'ca',
  'au',
  'de',
  'at',
  'ch',
  'fr',
  'be',
  'lu',
  'es',
  'it',
  'pt',
  'br',
  'mx',
  'ar',
  'nl',
  'ie',
];

const label = '[A-Za-z0-9][A-Za-z0-9_%+-]*';
/** `.`, ` dot `, `[dot]`, `(dot)`, `{dot}`, ` punto `, ` point `, ` punkt `, ` ponto `. */
const dotWord = String.raw`\s*[[({]\s*(?:dot|punto|point|punkt|ponto)\s*[\])}]\s*|\s+(?:dot|punto|point|punkt|ponto)\s+`;
/** `[at]`, `(at)`, `{at}` (also arroba, chez, bei), or `@` with or without spaces. */
const bracketAt = String.raw`\s*[[({]\s*(?:at|arroba|chez|bei)\s*[\])}]\s*|\s*@\s*`;
/** The bare word ` at ` (also arroba, chez, bei). */
const bareAt = String.raw`\s+(?:at|arroba|chez|bei)\s+`;
const tld = `(?:${spelledTlds.join('|')})`;

/**
 * An address whose `@` is bracketed or spaced (`jane[at]gmail.com`, `jane @ gmail . com`): any dot
 * form in the local part and the domain.
 */
const bracketedEmail = new RegExp(
  String.raw`(?<![\w.])${label}(?:(?:\.|${dotWord})${label})*(?:${bracketAt})${label}(?:(?:\s*\.\s*|${dotWord})${label})*(?:\s*\.\s*|${dotWord})${tld}\b`,
  'gi',
);

/**
 * An address with the bare word `at` (`jane dot doe at gmail dot com`): the domain must use a
 * spelled-out dot before a known top-level domain, so "look at example.com" is not one.
 */
const spelledEmail = new RegExp(
  String.raw`(?<![\w.])${label}(?:(?:\.|${dotWord})${label})*${bareAt}${label}(?:(?:\.|${dotWord})${label})*(?:${dotWord})${tld}\b`,
  'gi',
);

function decodeEmail(written: string): string {
  return written
    .replace(new RegExp(bracketAt, 'gi'), '@')
    .replace(new RegExp(bareAt, 'gi'), '@')
    .replace(new RegExp(dotWord, 'gi'), '.')
    .replace(/\s+/g, '')
    .toLowerCase();
}

function* matchesOf(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) yield match;
}

/** E-mail addresses with `at` and `dot` spelled out or bracketed; plain addresses are not reported here. */
export function findObfuscatedEmails(text: string): DecodedSpan[] {
  const found: DecodedSpan[] = [];
  for (const pattern of [bracketedEmail, spelledEmail]) {
    for (const match of matchesOf(pattern, text)) {
      const start = match.index;
      const end = start + match[0].length;
      const decoded = decodeEmail(match[0]);
      // A plain address (`jane@gmail.com`) is the plain pattern's to report.
      if (decoded === match[0].toLowerCase()) continue;
      if (found.some((other) => start < other.end && other.start < end)) continue;
      found.push({ start, end, decoded });
    }
  }
  return found.sort((left, right) => left.start - right.start);
}

/** Digit words of the six languages (English, Spanish, French, German, Portuguese, Italian). */
const digitWords: Readonly<Record<string, string>> = {
  zero: '0',
  oh: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  cero: '0',
  uno: '1',
  un: '1',
  dos: '2',
  tres: '3',
  cuatro: '4',
  cinco: '5',
  seis: '6',
  siete: '7',
  ocho: '8',
  nueve: '9',
  zéro: '0',
  une: '1',
  deux: '2',
  trois: '3',
  quatre: '4',
  cinq: '5',
  sept: '7',
  huit: '8',
  neuf: '9',
  null: '0',
  eins: '1',
  zwei: '2',
  drei: '3',
  vier: '4',
  fünf: '5',
  sechs: '6',
  sieben: '7',
  acht: '8',
  neun: '9',
  um: '1',
  dois: '2',
  quatro: '4',
  sete: '7',
  oito: '8',
  nove: '9',
  due: '2',
  tre: '3',
  quattro: '4',
  sei: '6',
  sette: '7',
  otto: '8',
};

const digitWord = `(?:${Object.keys(digitWords)
  .sort((left, right) => right.length - left.length)
  .join('|')})`;
/** A run of digit words (or short digit groups among them), separated by spaces, commas or dashes. */
const spelledNumber = new RegExp(
  String.raw`(?<![\p{L}\d])(?:${digitWord}|\d{1,4})(?:[\s,-]+(?:${digitWord}|\d{1,4})){7,}(?![\p{L}\d])`,
  'giu',
);

/**
 * Numbers written as digit words, alone or mixed with digit groups (`four one one one one one …`,
 * `4111 one one one …`), at least 8 digits long and with at least 4 words, decoded to their digits.
 */
export function findSpelledNumbers(text: string): DecodedSpan[] {
  const found: DecodedSpan[] = [];
  for (const match of matchesOf(spelledNumber, text)) {
    const tokens = match[0].split(/[\s,-]+/).filter((token) => token !== '');
    const words = tokens.filter((token) => /\p{L}/u.test(token)).length;
    if (words < 4) continue;
    const decoded = tokens.map((token) => digitWords[token.toLowerCase()] ?? token).join('');
    found.push({ start: match.index, end: match.index + match[0].length, decoded });
  }
  return found;
}
