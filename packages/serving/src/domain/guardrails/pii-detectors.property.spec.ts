import fc from 'fast-check';
import { passesFrenchNir, passesGermanTaxId, passesItalianFiscalCode } from './national-id-checks.js';
import { detectPii, redactPii } from './pii-detectors.js';

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (length: number) => fc.array(digit, { minLength: length, maxLength: length }).map((all) => all.join(''));
const digitWords = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** The digit that completes a number so that it passes Luhn. */
function luhnDigit(body: string): string {
  let sum = 0;
  for (let index = 0; index < body.length; index += 1) {
    let value = Number(body[body.length - 1 - index]);
    if (index % 2 === 0) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Groups a number in fours with a separator. */
const groupedBy = (number: string, separator: string) => (number.match(/.{1,4}/g) ?? []).join(separator);

/** Benign words around the value, so it is tested in a sentence and at its edges. */
const before = fc.constantFrom('', 'my number is ', 'Please use ', 'Kontakt: ', 'ok, ');
const after = fc.constantFrom('', ' thanks', '. Bye', ', then call back', ' !');

/** Checks that the value, whatever its kind, is replaced by one placeholder and the rest is untouched. */
function assertRedacted(value: string, head: string, tail: string): void {
  const text = `${head}${value}${tail}`;
  const redacted = redactPii(text, detectPii(text));
  expect(redacted).toMatch(/\[REDACTED_[A-Z_]+\]/);
  expect(redacted.startsWith(head)).toBe(true);
  expect(redacted.endsWith(tail)).toBe(true);
  expect(redacted.slice(head.length, redacted.length - tail.length)).toMatch(/^\[REDACTED_[A-Z_]+\]$/);
}

const validCard = fc
  .tuple(fc.constantFrom('4', '51', '55', '37', '6011'), fc.integer({ min: 13, max: 19 }))
  .chain(([prefix, length]) => digits(length - 1 - prefix.length).map((rest) => `${prefix}${rest}`))
  .map((body) => `${body}${luhnDigit(body)}`);

describe('detectPii properties (fast-check)', () => {
  it('redacts every valid card number, together, grouped by spaces, dashes or dots, or in words', () => {
    const written = fc.tuple(validCard, fc.constantFrom('none', ' ', '-', '.', 'words')).map(([card, form]) => {
      if (form === 'none') return card;
      if (form === 'words') return [...card].map((value) => digitWords[Number(value)]).join(' ');
      return groupedBy(card, form);
    });
    fc.assert(fc.property(written, before, after, assertRedacted), { numRuns: 400 });
  });

  it('redacts international numbers with + or 00, spaces, dots, dashes, (0), or none', () => {
    const phone = fc
      .tuple(
        fc.constantFrom('1', '33', '34', '39', '44', '49', '351'),
        fc.integer({ min: 1, max: 9 }).map(String),
        fc.integer({ min: 7, max: 10 }),
        fc.constantFrom('+', '00'),
        fc.constantFrom(' ', '.', '-', 'none', '(0)'),
      )
      .chain(([country, first, length, plus, separator]) =>
        digits(length).map((rest) => {
          const national = `${first}${rest}`;
          if (separator === 'none') return `${plus}${country}${national}`;
          if (separator === '(0)') return `${plus}${country} (0)${national.slice(0, 3)} ${national.slice(3)}`;
          const groups = national.match(/.{1,3}/g) ?? [];
          return `${plus}${country}${separator}${groups.join(separator)}`;
        }),
      );
    fc.assert(fc.property(phone, before, after, assertRedacted), { numRuns: 400 });
  });

  it('redacts national numbers with a trunk 0 and North American numbers in their usual forms', () => {
    const national = fc.oneof(
      // German mobiles (0151 23456789), French (06 12 34 56 78), British (020 7946 0958).
      fc.tuple(fc.constantFrom('0151', '0160', '0171', '0176'), digits(8)).map(([prefix, rest]) => `${prefix} ${rest}`),
      fc
        .tuple(fc.integer({ min: 1, max: 9 }), digits(8), fc.constantFrom(' ', '.', '-'))
        .map(([area, rest, separator]) => `0${area}${separator}${(rest.match(/.{2}/g) ?? []).join(separator)}`),
      fc.tuple(digits(4), digits(4)).map(([left, right]) => `020 ${left} ${right}`),
    );
    const nanp = fc
      .tuple(fc.integer({ min: 200, max: 999 }), fc.integer({ min: 200, max: 999 }), digits(4))
      .chain(([area, exchange, line]) =>
        fc.constantFrom(
          `${area}-${exchange}-${line}`,
          `(${area}) ${exchange}-${line}`,
          `${area}.${exchange}.${line}`,
          `+1 ${area} ${exchange} ${line}`,
        ),
      );
    fc.assert(fc.property(fc.oneof(national, nanp), before, after, assertRedacted), { numRuns: 400 });
  });

  it('redacts e-mail addresses, plain or with at/dot spelled out or bracketed', () => {
    const word = fc
      .stringMatching(/^[a-z]{2,8}$/)
      .filter((value) => !['at', 'dot', 'punto', 'point', 'punkt', 'ponto', 'arroba', 'chez', 'bei'].includes(value));
    const email = fc
      .tuple(
        word,
        fc.option(word, { nil: undefined }),
        word,
        fc.constantFrom('com', 'org', 'de', 'fr', 'es', 'it', 'pt', 'io'),
        fc.constantFrom('plain', 'words', 'brackets', 'parentheses', 'mixed'),
      )
      .map(([first, last, domain, tld, form]) => {
        const local = last === undefined ? [first] : [first, last];
        switch (form) {
          case 'plain':
            return `${local.join('.')}@${domain}.${tld}`;
          case 'words':
            return `${local.join(' dot ')} at ${domain} dot ${tld}`;
          case 'brackets':
            return `${local.join('.')}[at]${domain}[dot]${tld}`;
          case 'parentheses':
            return `${local.join('.')} (at) ${domain} (dot) ${tld}`;
          default:
            return `${local.join('.')} [at] ${domain}.${tld}`;
        }
      });
    fc.assert(fc.property(email, before, after, assertRedacted), { numRuns: 400 });
  });

  it('redacts valid national ids of the six languages’ countries', () => {
    const letters = 'TRWAGMYFPDXBNJZSQVHLCKE';
    const dni = fc
      .tuple(digits(8), fc.constantFrom('', '-', ' '))
      .map(([number, separator]) => `${number}${separator}${letters[Number(number) % 23]}`);
    const nie = fc
      .tuple(fc.constantFrom('X', 'Y', 'Z'), digits(7))
      .map(([prefix, number]) => `${prefix}${number}${letters[Number(`${'XYZ'.indexOf(prefix)}${number}`) % 23]}`);
    const nir = fc
      .tuple(
        fc.constantFrom('1', '2'),
        digits(2),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 95 }),
        digits(6),
        fc.boolean(),
      )
      .map(([sex, year, month, department, rest, spaced]) => {
        const body = `${sex}${year}${String(month).padStart(2, '0')}${String(department).padStart(2, '0')}${rest}`;
        const key = String(97n - (BigInt(body) % 97n)).padStart(2, '0');
        const parts = [
          body.slice(0, 1),
          body.slice(1, 3),
          body.slice(3, 5),
          body.slice(5, 7),
          rest.slice(0, 3),
          rest.slice(3),
        ];
        return spaced ? `${parts.join(' ')} ${key}` : `${body}${key}`;
      })
      .filter(passesFrenchNir);
    const steuerId = fc
      .tuple(fc.shuffledSubarray([...'0123456789'], { minLength: 9, maxLength: 9 }), fc.nat(8), fc.nat(9))
      .map(([distinct, repeated, position]) => {
        const first10 = [...distinct];
        first10.splice(position, 0, distinct[repeated] as string);
        if (first10[0] === '0') first10.push(first10.shift() as string);
        for (let check = 0; check <= 9; check += 1) {
          const candidate = `${first10.join('')}${check}`;
          if (passesGermanTaxId(candidate)) return candidate;
        }
        return '';
      })
      .filter((value) => value !== '');
    const fiscalCode = fc
      .tuple(fc.stringMatching(/^[A-Z]{6}\d{2}[ABCDEHLMPRST]\d{2}[A-Z]\d{3}$/), fc.constant(''))
      .map(([body]) => {
        for (const check of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
          if (passesItalianFiscalCode(`${body}${check}`)) return `${body}${check}`;
        }
        return '';
      });
    const ssn = fc
      .tuple(fc.integer({ min: 1, max: 899 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }))
      .filter(([area]) => area !== 666)
      .map(
        ([area, group, serial]) =>
          `${String(area).padStart(3, '0')}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`,
      );
    const id = fc.oneof(dni, nie, nir, steuerId, fiscalCode, ssn);
    fc.assert(fc.property(id, before, after, assertRedacted), { numRuns: 600 });
  });

  it('finds nothing in ordinary sentences with prices, dates, times, versions, quantities and order ids', () => {
    const price = fc
      .tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 0, max: 99 }))
      .chain(([units, cents]) =>
        fc.constantFrom(
          `$${units.toLocaleString('en-US')}.${String(cents).padStart(2, '0')}`,
          `€${units},${String(cents).padStart(2, '0')}`,
          `${units.toLocaleString('de-DE')},${String(cents).padStart(2, '0')} €`,
          `${units} USD`,
        ),
      );
    const date = fc
      .date({ min: new Date('1990-01-01'), max: new Date('2039-12-31'), noInvalidDate: true })
      .chain((value) => {
        const iso = value.toISOString().slice(0, 10);
        const [year, month, day] = iso.split('-');
        return fc.constantFrom(iso, `${day}.${month}.${year}`, `${month}/${day}/${year}`, `${day}/${month}/${year}`);
      });
    const time = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([hours, minutes]) => `${hours}:${String(minutes).padStart(2, '0')}`);
    const version = fc
      .array(fc.integer({ min: 0, max: 30 }), { minLength: 2, maxLength: 4 })
      .map((parts) => `v${parts.join('.')}`);
    const orderId = fc.oneof(
      fc.integer({ min: 1, max: 9_999_999 }).map((value) => `#${value}`),
      fc
        .tuple(fc.integer({ min: 2000, max: 2039 }), fc.integer({ min: 1, max: 999_999 }))
        .map(([year, number]) => `ORD-${year}-${String(number).padStart(6, '0')}`),
      fc.stringMatching(/^[A-Z]{2}\d{6,8}$/),
    );
    const quantity = fc
      .tuple(fc.integer({ min: 1, max: 5000 }), fc.constantFrom('MB', 'GB', 'items', 'users', '%', 'ms', 'pages'))
      .map(([value, unit]) => `${value} ${unit}`);
    const sentence = fc
      .tuple(price, date, time, version, orderId, quantity)
      .chain(([money, day, clock, release, order, amount]) =>
        fc.constantFrom(
          `Order ${order} of ${money} shipped on ${day} at ${clock}.`,
          `Version ${release} was released on ${day} and uses ${amount}.`,
          `Your plan costs ${money} a month for ${amount}; renewal ${day}.`,
          `Ticket ${order}: sync failed at ${clock} after upgrading to ${release}.`,
          `Between ${day} and ${day} we refunded ${money} on order ${order}.`,
        ),
      );
    fc.assert(
      fc.property(sentence, (text) => {
        expect(detectPii(text)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});

/** Redacts every kind of personal data the detectors find in a text. */
const redacted = (text: string) => redactPii(text, detectPii(text));

describe('redaction properties (fast-check)', () => {
  /** Sentences with generated cards, phones and e-mails between ordinary words, or any text at all. */
  const sentence = fc.oneof(
    fc
      .array(
        fc.oneof(
          validCard,
          validCard.map((card) => groupedBy(card, ' ')),
          fc.tuple(digits(3), digits(3), digits(4)).map(([area, exchange, line]) => `+1 ${area} ${exchange} ${line}`),
          fc.stringMatching(/^[a-z]{2,8}\.[a-z]{2,8}@[a-z]{3,8}\.(com|org|de)$/),
          fc.constantFrom('my card is', 'call me on', 'write to', 'thanks', 'order #4521', 'v2.3.1', '14 days'),
        ),
        { minLength: 1, maxLength: 8 },
      )
      .map((words) => words.join(' ')),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.string({ unit: fc.constantFrom(...'0123456789 +-().@[]_xX'.split('')), maxLength: 80 }),
  );

  it('is idempotent: a redacted text has nothing left to redact', () => {
    fc.assert(
      fc.property(sentence, (text) => {
        const once = redacted(text);
        expect(redacted(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves no generated card, phone or e-mail readable in a sentence of several', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(validCard, fc.stringMatching(/^[a-z]{2,8}@[a-z]{3,8}\.com$/)), {
          minLength: 1,
          maxLength: 4,
        }),
        (pairs) => {
          const text = pairs.map(([card, email]) => `card ${card} and mail ${email}`).join('; ');
          const once = redacted(text);
          for (const [card, email] of pairs) {
            expect(once).not.toContain(card);
            expect(once).not.toContain(email);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws, whatever the text, and finds matches inside it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 500 }), fc.string({ unit: 'binary', maxLength: 300 })), (text) => {
        const matches = detectPii(text);
        for (const match of matches) {
          expect(match.start).toBeGreaterThanOrEqual(0);
          expect(match.end).toBeLessThanOrEqual(text.length);
          expect(match.start).toBeLessThan(match.end);
        }
        expect(typeof redactPii(text, matches)).toBe('string');
      }),
      { numRuns: 1000 },
    );
  });
});
