import { passesIbanCheck, passesLuhn } from './checksums.js';
import {
  passesFrenchNir,
  passesGermanTaxId,
  passesItalianFiscalCode,
  passesPortugueseNif,
  passesSpanishDni,
  passesSpanishNie,
  passesUkNino,
  passesUsSsn,
} from './national-id-checks.js';
import { findObfuscatedEmails, findSpelledNumbers } from './obfuscated-pii.js';
import { redactSpans } from './text-redaction.js';

/** The kinds of personal data the PII check finds. */
export const piiKinds = ['email', 'phone', 'payment_card', 'iban', 'national_id'] as const;

/** One of the {@link piiKinds}. */
export type PiiKind = (typeof piiKinds)[number];

/** Where a piece of personal data is in a text (`text.slice(start, end)`), and the rule that found it. */
export interface PiiMatch {
  kind: PiiKind;
  /** The rule id, `pii.<kind>.<form>` (`pii.phone.national`, `pii.national_id.es_dni`); see {@link piiRules}. */
  rule: string;
  start: number;
  end: number;
  /**
   * The value decoded, when it is written in a disguised form: the digits of a card number in words,
   * `jane.doe@gmail.com` for `jane dot doe at gmail dot com`. Only for operators' own tools; never kept in verdicts.
   */
  decoded?: string;
}

/** The rules of the PII check by id, each with what it finds (the table of wiki/Serving.md). */
export const piiRules = {
  'pii.email': 'an e-mail address, `name@domain.tld`',
  'pii.email.obfuscated':
    'an e-mail address with `at`/`dot` spelled out or bracketed: `jane dot doe at gmail dot com`, `jane[at]gmail[dot]com`, `jane (at) gmail.com` (a bare `at` needs a spelled `dot` before a known top-level domain)',
  'pii.phone.international':
    'a number starting with `+` or `00` and a country code, 8-15 digits, grouped with spaces, dots, dashes or `(0)`',
  'pii.phone.nanp': 'a North American number `415-555-0132`, `(415) 555-0132`, `415.555.0132`, `+1 415 555 0132`',
  'pii.phone.area_code': 'a number starting with an `(area)` group, 8-15 digits',
  'pii.phone.national':
    'a national number with a trunk 0 (`0151 23456789`, `020 7946 0958`, `06 12 34 56 78`), 9-13 digits in at least two groups',
  'pii.payment_card':
    'a card number of 13-19 digits, together or grouped with one kind of separator (space, dash or dot), passing the Luhn check',
  'pii.payment_card.words':
    'a card number written in digit words (English, Spanish, French, German, Portuguese, Italian), alone or mixed with digit groups, 13-19 digits passing Luhn',
  'pii.iban': "an IBAN passing the mod-97 check with its country's length",
  'pii.national_id.us_ssn':
    'a US Social Security number `123-45-6789` (SSA area, group and serial rules; no check digit)',
  'pii.national_id.uk_nino':
    'a UK National Insurance number `AB 12 34 56 C` (valid prefix letters, suffix A-D; no check character)',
  'pii.national_id.es_dni': 'a Spanish DNI `12345678Z`, its letter = number mod 23',
  'pii.national_id.es_nie': 'a Spanish NIE `X1234567L`, X/Y/Z read as 0/1/2, letter = number mod 23',
  'pii.national_id.fr_nir': 'a French NIR of 13 characters and a key = 97 - (number mod 97) (2A/2B as 19/18)',
  'pii.national_id.de_steuer_id':
    'a German Steuer-ID of 11 digits: first not 0, one digit twice or three times in the first ten, ISO 7064 MOD 11,10 check digit',
  'pii.national_id.it_codice_fiscale':
    'an Italian codice fiscale of 16 characters whose last letter is its check letter',
  'pii.national_id.pt_nif':
    'a Portuguese NIF of 9 digits after a label (NIF, NIPC, contribuinte), its last digit the mod-11 check digit',
  'pii.national_id.labelled':
    "a number after a label: SSN, social security, national id/identity/insurance, passport, tax id, personal id, id number, citizen id, driver's licence",
} as const;

/** The id of one of the {@link piiRules}. */
export type PiiRuleId = keyof typeof piiRules;

const emailPattern = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b/g;
const cardPattern = /(?<![\d.+-])\d(?:[ .-]?\d){12,18}(?![\d-]|\.\d)/g;
const ibanStart = /\b[A-Za-z]{2}\d{2}(?=[ ]?[A-Za-z0-9])/g;
const phonePattern =
  /(?<![\w.+\-/])(?:(?:\+|00)[1-9]\d{0,2}[\s.-]?)?(?:\(0?\d{1,4}\)[\s.-]?)?\d{1,12}(?:[\s.-]\d{1,8}){0,6}(?![\w\-/]|[.,]\d)|(?<![\w.+\-/])\+\d{8,15}(?!\w)/g;
const nanpPhone = /^(?:(?:\+|00)?1[\s.-]?)?(?:\([2-9]\d{2}\)\s?|[2-9]\d{2}[\s.-])\d{3}[\s.-]\d{4}$/;
const ssnPattern = /(?<![\w+])\d{3}([- ])\d{2}\1\d{4}\b/g;
const ninoPattern = /\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g;
const dniPattern = /(?<![\w+])\d{8}[\s-]?[A-Za-z]\b/g;
const niePattern = /\b[XYZxyz][\s-]?\d{7}[\s-]?[A-Za-z]\b/g;
const nirPattern = /(?<![\w+])[12][\s.]?\d{2}[\s.]?\d{2}[\s.]?(?:\d{2}|2[ABab])[\s.]?\d{3}[\s.]?\d{3}[\s.]?\d{2}\b/g;
const steuerIdPattern = /(?<![\w+])[1-9]\d(?: ?\d{3}){3}\b/g;
const fiscalCodePattern =
  /\b[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]\b/g;
const nifPattern =
  /\b(?:NIF|NIPC|contribuinte)(?:\s*(?:n\.?\s?º|nº|no\.?|n\.|number|número|numero))?\s*[:#]?\s*(\d{3}[ .]?\d{3}[ .]?\d{3})\b/gi;
const labelledIdPattern =
  /\b(?:ssn|social security(?: number)?|national (?:id|identity|insurance)(?: card)?(?: number)?|passport(?: number| no\.?)?|tax (?:id|number|identification number)|personal (?:id|identity|identification)(?: number)?|id(?:entity)? (?:card )?number|citizen(?:ship)? id|driver'?s licen[cs]e(?: number)?)\s*(?:is|:|#|no\.?|=)?\s*:?\s*((?:[A-Z]{0,3}\d[A-Z0-9]*)(?:[ -]\d[A-Z0-9]*){0,3})/gi;

function* matchesOf(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    yield match;
    if (match[0].length === 0) pattern.lastIndex += 1;
  }
}

function spanOf(match: RegExpExecArray): { start: number; end: number } {
  return { start: match.index, end: match.index + match[0].length };
}

/** A card number: 13-19 digits, not all the same (placeholders pass Luhn), passing Luhn. */
function isCardNumber(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && !/^(\d)\1+$/.test(digits) && passesLuhn(digits);
}

/** Groups as cards are printed: one run of digits, fours (the last may be shorter), or 4-6-5 / 4-6-4 (Amex, Diners). */
function isCardShaped(lengths: readonly number[]): boolean {
  if (lengths.length === 1) return true;
  const last = lengths[lengths.length - 1] as number;
  if (lengths.slice(0, -1).every((length) => length === 4) && last >= 1 && last <= 4) return true;
  return lengths.length === 3 && lengths[0] === 4 && lengths[1] === 6 && (last === 5 || last === 4);
}

/**
 * Where the card number is in a run of digit groups: the whole run, else the longest span of whole groups that is
 * printed as cards are and passes (the earliest of equal ones). A card written after the last digits of a phone
 * number, or before another card, shares its run with them: `0001 4000000000006` holds the card `4000000000006`.
 */
function cardSpanIn(run: string): { start: number; end: number } | undefined {
  if (isCardNumber(run.replace(/\D/g, ''))) return { start: 0, end: run.length };
  const groups = [...run.matchAll(/\d+/g)].map((group) => ({ start: group.index, end: group.index + group[0].length }));
  let best: { start: number; end: number } | undefined;
  for (let first = 0; first < groups.length; first += 1) {
    for (let last = groups.length - 1; last >= first; last -= 1) {
      const span = groups.slice(first, last + 1);
      const start = (span[0] as { start: number }).start;
      const end = (span[span.length - 1] as { end: number }).end;
      if (best !== undefined && end - start <= best.end - best.start) break;
      if (!isCardShaped(span.map((group) => group.end - group.start))) continue;
      if (isCardNumber(run.slice(start, end).replace(/\D/g, ''))) best = { start, end };
    }
  }
  return best;
}

function findCards(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const match of matchesOf(cardPattern, text)) {
    // One kind of separator: `4111.1111.1111.1111` is a card, `1.2.3-4 5` is not.
    if (new Set(match[0].replace(/\d/g, '')).size > 1) continue;
    const span = cardSpanIn(match[0]);
    if (span === undefined) {
      // A card may start at a later group and run past this match: look again from the second group.
      const second = /[ .-]\d/.exec(match[0]);
      if (second) cardPattern.lastIndex = match.index + second.index + 1;
      continue;
    }
    // The digits after the card may begin the next one.
    cardPattern.lastIndex = match.index + span.end;
    found.push({
      kind: 'payment_card',
      rule: 'pii.payment_card',
      start: match.index + span.start,
      end: match.index + span.end,
    });
  }
  for (const spelled of findSpelledNumbers(text)) {
    if (!isCardNumber(spelled.decoded)) continue;
    found.push({ kind: 'payment_card', rule: 'pii.payment_card.words', ...spelled });
  }
  return found;
}

/** IBANs are written with single spaces every four characters (or none); try the lengths a country allows. */
function findIbans(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const match of matchesOf(ibanStart, text)) {
    const start = match.index;
    const characters: Array<{ character: string; end: number }> = [];
    let position = start;
    while (position < text.length && characters.length < 34) {
      const character = text[position] as string;
      if (/[A-Za-z0-9]/.test(character)) characters.push({ character, end: position + 1 });
      else if (character !== ' ' || text[position + 1] === ' ') break;
      position += 1;
    }
    for (let length = characters.length; length >= 15; length -= 1) {
      const candidate = characters.slice(0, length);
      const end = (candidate[candidate.length - 1] as { end: number }).end;
      if (/[A-Za-z0-9]/.test(text[end] ?? '')) continue;
      // Written in groups, an IBAN has groups of four (the last may be shorter): `EZ15145504 of 33214` is not one.
      const groups = text.slice(start, end).split(' ');
      if (groups.slice(0, -1).some((group) => group.length !== 4)) continue;
      if (passesIbanCheck(candidate.map((entry) => entry.character).join(''))) {
        found.push({ kind: 'iban', rule: 'pii.iban', start, end });
        ibanStart.lastIndex = end;
        break;
      }
    }
  }
  return found;
}

/** The phone rule a candidate number satisfies, or undefined when it is not a phone number. */
function phoneRule(value: string): PiiRuleId | undefined {
  const digits = value.replace(/\D/g, '');
  // Dates (2024-05-01, 12.05.2024) are not phone numbers.
  if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/.test(value) || /^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(value))
    return undefined;
  if (/^(?:\+|00[1-9])/.test(value)) {
    const significant = value.startsWith('00') ? digits.slice(2) : digits;
    return significant.length >= 8 && significant.length <= 15 ? 'pii.phone.international' : undefined;
  }
  if (digits.length < 8 || digits.length > 15) return undefined;
  if (nanpPhone.test(value)) return 'pii.phone.nanp';
  if (value.startsWith('(')) return 'pii.phone.area_code';
  // National numbers elsewhere start with a trunk 0 and come in groups (0151 23456789, 06 12 34 56 78).
  if (/^0[1-9]/.test(value) && /[\s.-]/.test(value) && digits.length >= 9 && digits.length <= 13)
    return 'pii.phone.national';
  return undefined;
}

function findPhones(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const match of matchesOf(phonePattern, text)) {
    const rule = phoneRule(match[0]);
    if (rule) found.push({ kind: 'phone', rule, ...spanOf(match) });
  }
  return found;
}

/** National ids with their own shape, each kept only when its check passes. */
const nationalIdRules: ReadonlyArray<{ rule: PiiRuleId; pattern: RegExp; passes: (value: string) => boolean }> = [
  { rule: 'pii.national_id.us_ssn', pattern: ssnPattern, passes: passesUsSsn },
  { rule: 'pii.national_id.uk_nino', pattern: ninoPattern, passes: passesUkNino },
  { rule: 'pii.national_id.es_dni', pattern: dniPattern, passes: passesSpanishDni },
  { rule: 'pii.national_id.es_nie', pattern: niePattern, passes: passesSpanishNie },
  { rule: 'pii.national_id.fr_nir', pattern: nirPattern, passes: passesFrenchNir },
  { rule: 'pii.national_id.de_steuer_id', pattern: steuerIdPattern, passes: passesGermanTaxId },
  { rule: 'pii.national_id.it_codice_fiscale', pattern: fiscalCodePattern, passes: passesItalianFiscalCode },
];

function findNationalIds(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const { rule, pattern, passes } of nationalIdRules) {
    for (const match of matchesOf(pattern, text))
      if (passes(match[0])) found.push({ kind: 'national_id', rule, ...spanOf(match) });
  }
  for (const match of matchesOf(nifPattern, text)) {
    const value = match[1] as string;
    if (!passesPortugueseNif(value)) continue;
    const start = match.index + match[0].length - value.length;
    found.push({ kind: 'national_id', rule: 'pii.national_id.pt_nif', start, end: start + value.length });
  }
  for (const match of matchesOf(labelledIdPattern, text)) {
    const value = match[1] as string;
    if ((value.match(/\d/g) ?? []).length < 4) continue;
    const start = match.index + match[0].length - value.length;
    found.push({ kind: 'national_id', rule: 'pii.national_id.labelled', start, end: start + value.length });
  }
  return found;
}

function findEmails(text: string): PiiMatch[] {
  return [
    ...[...matchesOf(emailPattern, text)].map((match) => ({
      kind: 'email' as const,
      rule: 'pii.email',
      ...spanOf(match),
    })),
    ...findObfuscatedEmails(text).map((span) => ({ kind: 'email' as const, rule: 'pii.email.obfuscated', ...span })),
  ];
}

/**
 * Kinds in the order they win an overlap: a national id is not also a card or a phone number, a card
 * number not also a phone number. Within a kind, the earlier (and so longer) match wins.
 */
const priority: readonly PiiKind[] = ['national_id', 'payment_card', 'iban', 'email', 'phone'];

/**
 * Finds personal data in a text with the rules of {@link piiRules}: e-mail addresses (plain and with
 * `at`/`dot` spelled out), phone numbers (international, North American, `(area)`, national with a
 * trunk 0; dates are skipped), payment card numbers passing Luhn (in digits or in words), IBANs
 * passing mod 97, and national ids (US, UK, Spain, France, Germany, Italy with their check
 * characters, Portugal after a label, and any number labelled as an id). Overlaps are resolved in
 * favour of the more specific kind. Matches are in text order.
 */
export function detectPii(text: string, kinds: readonly PiiKind[] = piiKinds): PiiMatch[] {
  const wanted = new Set(kinds);
  const kept: PiiMatch[] = [];
  // Data beside a match may only be found once the match is gone (a phone number run into the card after it reads as
  // one long number): the rules look again at the text with the matches blanked out, as they would at the redacted
  // text, until nothing new is found; so redacting a redacted text changes nothing.
  for (let round = 0, searched = text; round < 4; round += 1) {
    const candidates = [
      ...findNationalIds(searched),
      ...findCards(searched),
      ...findIbans(searched),
      ...findEmails(searched),
      ...findPhones(searched),
    ];
    candidates.sort(
      (left, right) =>
        priority.indexOf(left.kind) - priority.indexOf(right.kind) || left.start - right.start || right.end - left.end,
    );
    const before = kept.length;
    for (const candidate of candidates) {
      if (kept.some((other) => candidate.start < other.end && other.start < candidate.end)) continue;
      kept.push(candidate);
    }
    if (kept.length === before) break;
    searched = blankedOut(text, kept);
  }
  return kept.filter((match) => wanted.has(match.kind)).sort((left, right) => left.start - right.start);
}

/** The text with the spans of `matches` replaced by spaces (same length, so positions stay valid). */
function blankedOut(text: string, matches: readonly PiiMatch[]): string {
  let result = text;
  for (const match of matches)
    result = `${result.slice(0, match.start)}${' '.repeat(match.end - match.start)}${result.slice(match.end)}`;
  return result;
}

/**
 * A test for values that are not personal data, from patterns with `*` wildcards matched against
 * the whole value, case-insensitive (`*@example.com`, `+44 20 7946 0000`).
 */
export function allowListOf(patterns: readonly string[]): (value: string) => boolean {
  if (patterns.length === 0) return () => false;
  const sources = patterns.map((pattern) =>
    pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*'),
  );
  const matcher = new RegExp(`^(?:${sources.join('|')})$`, 'i');
  return (value) => matcher.test(value);
}

/**
 * The text with every match replaced by its placeholder (`[REDACTED_EMAIL]`; matches must not overlap, as
 * {@link detectPii} returns them): the guardrails' one redaction, `redactSpans`.
 */
export function redactPii(text: string, matches: readonly PiiMatch[]): string {
  return redactSpans(text, matches);
}
