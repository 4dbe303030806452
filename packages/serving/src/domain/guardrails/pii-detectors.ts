import { passesIbanCheck, passesLuhn } from './checksums.js';

/** The kinds of personal data the PII check finds. */
export const piiKinds = ['email', 'phone', 'payment_card', 'iban', 'national_id'] as const;

/** One of the {@link piiKinds}. */
export type PiiKind = (typeof piiKinds)[number];

/** Where a piece of personal data is in a text (`text.slice(start, end)`). */
export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
}

const emailPattern = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b/g;
const cardPattern = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const ibanStart = /\b[A-Za-z]{2}\d{2}(?=[ ]?[A-Za-z0-9])/g;
const phonePattern =
  /(?<![\w.+\-/])(?:(?:\+|00)[1-9]\d{0,2}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,5}){1,5}(?![\w\-/]|\.\d)|(?<![\w.+\-/])\+\d{8,15}(?!\w)/g;
const ssnPattern = /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g;
const ninoPattern = /\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g;
const labelledIdPattern =
  /\b(?:ssn|social security(?: number)?|national (?:id|identity|insurance)(?: card)?(?: number)?|passport(?: number| no\.?)?|tax (?:id|number|identification number)|personal (?:id|identity|identification)(?: number)?|id(?:entity)? (?:card )?number|citizen(?:ship)? id|driver'?s licen[cs]e(?: number)?)\s*(?:is|:|#|no\.?|=)?\s*:?\s*((?:[A-Z]{0,3}\d[A-Z0-9]*)(?:[ -]\d[A-Z0-9]*){0,3})/gi;

function* matchesOf(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    yield match;
    if (match[0].length === 0) pattern.lastIndex += 1;
  }
}

function findCards(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const match of matchesOf(cardPattern, text)) {
    const digits = match[0].replace(/\D/g, '');
    // Repeated digits (0000 0000 0000 0000) pass Luhn but are placeholders, not cards.
    if (digits.length < 13 || digits.length > 19 || /^(\d)\1+$/.test(digits) || !passesLuhn(digits)) continue;
    found.push({ kind: 'payment_card', start: match.index, end: match.index + match[0].length });
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
      if (passesIbanCheck(candidate.map((entry) => entry.character).join(''))) {
        found.push({ kind: 'iban', start, end });
        ibanStart.lastIndex = end;
        break;
      }
    }
  }
  return found;
}

function findPhones(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const match of matchesOf(phonePattern, text)) {
    const value = match[0];
    const digits = value.replace(/\D/g, '');
    if (digits.length < 8 || digits.length > 15) continue;
    // Dates and times (2024-05-01, 12.05.2024) and version numbers are not phone numbers.
    if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/.test(value) || /^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(value)) continue;
    const international = /^(?:\+|00[1-9])/.test(value) || value.startsWith('(');
    const nanp = /^[2-9]\d{2}[\s.-]\d{3}[\s.-]\d{4}$/.test(value);
    // National numbers elsewhere start with a trunk 0 (020 7946 0958, 06 12 34 56 78).
    const national = /^0[1-9]/.test(value) && digits.length >= 9 && digits.length <= 11;
    if (!international && !nanp && !national) continue;
    found.push({ kind: 'phone', start: match.index, end: match.index + value.length });
  }
  return found;
}

function findNationalIds(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const match of matchesOf(ssnPattern, text))
    found.push({ kind: 'national_id', start: match.index, end: match.index + match[0].length });
  for (const match of matchesOf(ninoPattern, text))
    found.push({ kind: 'national_id', start: match.index, end: match.index + match[0].length });
  for (const match of matchesOf(labelledIdPattern, text)) {
    const value = match[1] as string;
    if ((value.match(/\d/g) ?? []).length < 4) continue;
    const start = match.index + match[0].length - value.length;
    found.push({ kind: 'national_id', start, end: start + value.length });
  }
  return found;
}

function findEmails(text: string): PiiMatch[] {
  return [...matchesOf(emailPattern, text)].map((match) => ({
    kind: 'email' as const,
    start: match.index,
    end: match.index + match[0].length,
  }));
}

/** Kinds in the order they win an overlap: a card number is not also reported as a phone number. */
const priority: readonly PiiKind[] = ['payment_card', 'iban', 'national_id', 'email', 'phone'];

/**
 * Finds personal data in a text: email addresses; phone numbers (international `+`/`00` forms,
 * `(area)` forms, North American `415-555-0132`, and national numbers with a trunk 0 such as
 * `020 7946 0958`; dates are skipped); payment card numbers of 13-19 digits that pass the Luhn check; IBANs that pass
 * the mod-97 check (with the country's length); and national-id-like numbers (US SSN, UK National
 * Insurance numbers, and any number labelled as a national id, passport, tax or SSN number).
 * Overlaps are resolved in favour of the more specific kind. Matches are in text order.
 */
export function detectPii(text: string, kinds: readonly PiiKind[] = piiKinds): PiiMatch[] {
  const wanted = new Set(kinds);
  const candidates = [
    ...findCards(text),
    ...findIbans(text),
    ...findNationalIds(text),
    ...findEmails(text),
    ...findPhones(text),
  ];
  candidates.sort(
    (left, right) => priority.indexOf(left.kind) - priority.indexOf(right.kind) || left.start - right.start,
  );
  const kept: PiiMatch[] = [];
  for (const candidate of candidates) {
    if (kept.some((other) => candidate.start < other.end && other.start < candidate.end)) continue;
    kept.push(candidate);
  }
  return kept.filter((match) => wanted.has(match.kind)).sort((left, right) => left.start - right.start);
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

/** The placeholder that replaces personal data of a kind, for example `[REDACTED_EMAIL]`. */
export function redactionPlaceholder(kind: PiiKind): string {
  return `[REDACTED_${kind.toUpperCase()}]`;
}

/** The text with every match replaced by its placeholder (matches must not overlap, as {@link detectPii} returns them). */
export function redactPii(text: string, matches: readonly PiiMatch[]): string {
  let result = '';
  let position = 0;
  for (const match of [...matches].sort((left, right) => left.start - right.start)) {
    if (match.start < position) continue;
    result += text.slice(position, match.start) + redactionPlaceholder(match.kind);
    position = match.end;
  }
  return result + text.slice(position);
}
