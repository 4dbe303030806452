/**
 * The readings of a text that the guardrails judge: the text as written, and the forms it decodes
 * to when it hides words in base64, hex, URL-encoding, rot13 or reversed text. A decoded form is a
 * reading only when it **carries words** (see {@link carriesWords}), so ordinary ids, hashes, phone
 * numbers and prose never produce one. Character-level disguises (homoglyphs, zero-width and format
 * characters, soft hyphens, accents, leetspeak, letters split by spaces) are undone later, by
 * `normalizeForMatching`, on every reading.
 */

import { leetLetters } from './text-normalization.js';

/** How a reading was decoded from the text as written (`base64`, then `rot13` for a rot13 text in base64…). */
export type DecodingKind = 'base64' | 'hex' | 'url' | 'rot13' | 'reversed' | 'reversed_words' | 'leetspeak';

/** One reading of a text: the text itself (`decoded` empty) or a decoded form and how it was obtained. */
export interface TextReading {
  text: string;
  /** The decodings applied, in order; empty for the text as written. */
  decoded: readonly DecodingKind[];
}

/**
 * Very common English words (function words and everyday verbs). Ordinary English has about one in
 * three or more of its words in this list; rot13, reversed or binary garbage almost never does.
 */
const commonWords = new Set(
  (
    'a about above after again all also am an and any are as at back be because been before being below between ' +
    'both but by can cant could did didnt do does doesnt doing dont down during each even every few for from ' +
    'further get gets getting give gives go going good had has have having he her here hers him his how i if in ' +
    'into is isnt it its just know let lets like make makes making many me more most much must my need new no ' +
    'nor not now of off on once one only or other our ours out over own people please same say see she should ' +
    'show so some step steps still such take tell than that the their them then there these they thing things ' +
    'this those through to too two under until up us use used using very want was we well were what when where ' +
    'which while who whom why will with without would write you your yours yourself explain help way ways ' +
    'instructions home work time best easiest first next'
  ).split(' '),
);

/** The words (runs of two letters or digits or more) of a text, and how many of them are {@link commonWords}. */
function wordCounts(text: string): { words: number; common: number } {
  // Single letters (`a`, `I`) read the same reversed or in leetspeak: they prove nothing.
  const words = text.toLowerCase().match(/[a-z0-9]{2,}/g) ?? [];
  let common = 0;
  for (const word of words) if (commonWords.has(word)) common += 1;
  return { words: words.length, common };
}

/**
 * True when a text reads as English words: at least two words of {@link commonWords} and at least a
 * quarter of its words (letter runs) in it. This is the test a decoded form must pass to be judged.
 */
export function carriesWords(text: string): boolean {
  const { words, common } = wordCounts(text);
  return common >= 2 && common / words >= 0.25;
}

/**
 * True when a decoded form carries words the encoded one did not: it passes {@link carriesWords} and
 * has at least two common words more (a URL whose `%20` decodes to a space gains none).
 */
function revealsWords(encoded: string, decoded: string): boolean {
  return carriesWords(decoded) && wordCounts(decoded).common >= wordCounts(encoded).common + 2;
}

function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (letter) => {
    const base = letter <= 'Z' ? 65 : 97;
    return String.fromCharCode(((letter.charCodeAt(0) - base + 13) % 26) + base);
  });
}

const reverse = (text: string) => [...text].reverse().join('');
const reverseWords = (text: string) => text.replace(/[\p{L}\p{N}']+/gu, (word) => reverse(word));

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as text, or undefined when they are not UTF-8 or hold control characters (binary data). */
function printable(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
  for (const character of text) {
    const code = character.charCodeAt(0);
    // Control characters other than tab and line breaks mean binary data.
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return undefined;
  }
  return text;
}

/** A decoder of embedded runs: where the runs are, and how one run decodes (undefined: not this encoding). */
interface RunDecoder {
  kind: DecodingKind;
  runs: RegExp;
  decode: (run: string) => string | undefined;
}

const runDecoders: readonly RunDecoder[] = [
  {
    kind: 'base64',
    // 16+ characters of the base64 alphabets (standard and URL-safe); a run of one letter case only
    // (a long ordinary word, an identifier) is not tried.
    runs: /[A-Za-z0-9+/_-]{16,}={0,2}/g,
    decode: (run) => {
      if (/^(?:[a-z_-]+|[A-Z_-]+)$/.test(run)) return undefined;
      const bytes = Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
      return bytes.length >= 8 ? printable(bytes) : undefined;
    },
  },
  {
    kind: 'hex',
    // Byte pairs, optionally written `\x41`, `0x41` or separated by spaces, commas or colons.
    runs: /(?:(?:\\x|0x)?[0-9a-fA-F]{2}[\s,:]?){8,}/g,
    decode: (run) => {
      const digits = run.replace(/\\x|0x|[\s,:]/g, '');
      if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(digits)) return undefined;
      return printable(Buffer.from(digits, 'hex'));
    },
  },
  {
    kind: 'url',
    runs: /[^\s]*%[0-9a-fA-F]{2}[^\s]*(?:\s+[^\s]*%[0-9a-fA-F]{2}[^\s]*)*/g,
    decode: (run) => {
      try {
        return decodeURIComponent(run.replace(/\+/g, ' '));
      } catch {
        return run.replace(/%([0-9a-fA-F]{2})/g, (_, code: string) => String.fromCharCode(parseInt(code, 16)));
      }
    },
  },
];

/**
 * True when a decoded run is text that may hide words one decoding further (rot13 or reversed text
 * inside base64): letters, spaces and punctuation, with spaces, and no words of its own.
 */
function hidesMore(decoded: string): boolean {
  return (
    decoded.length >= 8 &&
    / /.test(decoded) &&
    /^[\p{L}\p{P}\s]+$/u.test(decoded) &&
    transforms.some((transform) => transform.segmented && transform.apply(decoded) !== undefined)
  );
}

/** Replaces each run of an encoding that decodes to words with its decoded text; undefined when none does. */
function decodeRuns(text: string, decoder: RunDecoder): string | undefined {
  let changed = false;
  const result = text.replace(decoder.runs, (run) => {
    const decoded = decoder.decode(run.trim());
    if (decoded === undefined || !(revealsWords(run, decoded) || hidesMore(decoded))) return run;
    changed = true;
    // On lines of its own, so that rules about the start of a line (a forged `SYSTEM:` line) still apply.
    return `\n${decoded}\n`;
  });
  return changed ? result : undefined;
}

/** Segments a text is cut into for whole-segment transforms: sentences, lines and clauses after a colon. */
const segmentBoundary = /([.!?:;\n]+\s*)/;

/** A text cut into segments and the separators between them (segments at even places), each segment marked when it carries words. */
interface Segments {
  /** Whether the text as a whole carries words. */
  wordy: boolean;
  parts: ReadonlyArray<{ part: string; carries: boolean }>;
  /** Every segment with letters carries words (ordinary prose): no stretch is left for a transform to reveal. */
  allCarry: boolean;
}

// The segmented transforms (rot13, reversed, reversed words) read the same text one after the other: its
// segments and their word counts are worked out once for the three.
let lastSegmented: { text: string; segments: Segments } | undefined;

function segmentsOf(text: string): Segments {
  if (lastSegmented?.text === text) return lastSegmented.segments;
  const parts = text
    .split(segmentBoundary)
    .map((part, index) => ({ part, carries: index % 2 === 0 && carriesWords(part) }));
  const segments: Segments = {
    wordy: carriesWords(text),
    parts,
    allCarry: parts.every(({ part, carries }, index) => index % 2 === 1 || carries || part.trim() === ''),
  };
  lastSegmented = { text, segments };
  return segments;
}

/**
 * Applies a transform to every stretch of segments that reads as words only once transformed (rot13,
 * reversed); undefined when none does. Consecutive segments that do not read as words are transformed
 * together (a hidden request of several short sentences); a wrapper in plain English stays as it is.
 */
function transformSegments(text: string, transform: (segment: string) => string): string | undefined {
  const { parts, wordy, allCarry } = segmentsOf(text);
  if (!wordy) {
    const whole = transform(text);
    if (revealsWords(text, whole)) return whole;
  }
  // Only whitespace or words already: transformed stretches of nothing reveal nothing.
  if (allCarry) return undefined;
  const result: string[] = [];
  let changed = false;
  let stretch = '';
  const flush = () => {
    if (stretch === '') return;
    const transformed = transform(stretch);
    if (revealsWords(stretch, transformed)) {
      changed = true;
      result.push(` ${transformed} `);
    } else {
      result.push(stretch);
    }
    stretch = '';
  };
  parts.forEach(({ part, carries }, index) => {
    const isSegment = index % 2 === 0;
    if (isSegment && carries) {
      flush();
      result.push(part);
    } else if (isSegment || stretch !== '') {
      stretch += part;
    } else {
      result.push(part);
    }
  });
  flush();
  return changed ? result.join('') : undefined;
}

/** In a text written in digits throughout, `8` is a `b` too (inside a word it stays a digit: `b8`, `8k`). */
const wholeTextLeetLetters: Readonly<Record<string, string>> = { ...leetLetters, '8': 'b' };

/**
 * Leetspeak throughout (`G1v3 m3 573p5 70 bu1ld 4 b0mb`): every digit and `@`/`$` read as a letter,
 * whole-number words included (`70` → `to`), when at least two words mix letters and digits. Word by
 * word, digits beside letters are already read as letters by `normalizeForMatching`; this reading
 * covers the words written in digits only.
 */
function unleetAll(text: string): string | undefined {
  const mixed = text.match(/\b(?=[a-z@$]*[0-9@$])(?=[0-9@$]*[a-z])[a-z0-9@$]{2,}\b/gi) ?? [];
  if (mixed.length < 2) return undefined;
  const read = text.replace(/[0-9@$]/g, (character) => wholeTextLeetLetters[character] ?? character);
  return revealsWords(text, read) ? read : undefined;
}

const transforms: ReadonlyArray<{
  kind: DecodingKind;
  apply: (text: string) => string | undefined;
  /** A transform of whole segments (rot13, reversed), as opposed to decoding embedded runs. */
  segmented?: boolean;
}> = [
  ...runDecoders.map((decoder) => ({ kind: decoder.kind, apply: (text: string) => decodeRuns(text, decoder) })),
  { kind: 'rot13', apply: (text) => transformSegments(text, rot13), segmented: true },
  { kind: 'reversed', apply: (text) => transformSegments(text, reverse), segmented: true },
  { kind: 'reversed_words', apply: (text) => transformSegments(text, reverseWords), segmented: true },
  { kind: 'leetspeak', apply: unleetAll },
];

/** Decodings are applied at most this many times in a row (base64 of rot13 is two). */
const maxDepth = 2;

const defaultMaxChars = 20_000;

/**
 * How many recent texts keep their readings. The checks of one request read the same texts one after the other
 * (the injection rules, the learned injection head and the harm lexicon each ask for a passage's readings, the input
 * and output checks for the question's), and decoding is the costly part of judging a text; readings never change,
 * so a remembered one is the same answer.
 */
const rememberedTexts = 64;
const rememberedReadings = new Map<string, readonly TextReading[]>();

/**
 * Every reading of a text: the text as written first, then each decoded form that carries words
 * (base64, hex and URL-encoded runs decoded in place; rot13 and reversed text per segment), and
 * their own decoded forms, up to two decodings deep. Texts longer than `maxChars` are read as
 * written only (decoding is for requests and passages, not for megabytes).
 */
export function readingsOf(text: string, options: { maxChars?: number } = {}): readonly TextReading[] {
  const maxChars = options.maxChars ?? defaultMaxChars;
  // Texts longer than that are read as written only (cheap), and are not kept: the memory stays small.
  const key = maxChars === defaultMaxChars && text.length <= maxChars ? text : undefined;
  const known = key === undefined ? undefined : rememberedReadings.get(key);
  if (known) return known;
  const readings = decodedReadings(text, maxChars);
  if (key !== undefined) {
    if (rememberedReadings.size >= rememberedTexts)
      rememberedReadings.delete(rememberedReadings.keys().next().value as string);
    rememberedReadings.set(key, readings);
  }
  return readings;
}

function decodedReadings(text: string, maxChars: number): readonly TextReading[] {
  const readings: TextReading[] = [{ text, decoded: [] }];
  if (text.length > maxChars) return readings;
  const seen = new Set([text]);
  for (let index = 0; index < readings.length; index += 1) {
    const reading = readings[index] as TextReading;
    if (reading.decoded.length >= maxDepth) continue;
    // Only an embedded run (base64, hex, URL) is decoded again: a rot13 or reversed text already read as words.
    if (reading.decoded.length > 0 && !runDecoders.some((decoder) => decoder.kind === reading.decoded.at(-1))) continue;
    for (const transform of transforms) {
      const decoded = transform.apply(reading.text);
      if (decoded === undefined || seen.has(decoded)) continue;
      seen.add(decoded);
      readings.push({ text: decoded, decoded: [...reading.decoded, transform.kind] });
    }
  }
  return readings;
}
