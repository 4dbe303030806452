import { passesIbanCheck, passesLuhn } from './checksums.js';
import { detectPii, redactPii } from './pii-detectors.js';
import type { PiiKind } from './pii-detectors.js';

const kindsIn = (text: string) => detectPii(text).map((match) => [match.kind, text.slice(match.start, match.end)]);

describe('checksums', () => {
  it('accepts card numbers that pass Luhn and rejects one digit off', () => {
    expect(passesLuhn('4111 1111 1111 1111')).toBe(true);
    expect(passesLuhn('5555-5555-5555-4444')).toBe(true);
    expect(passesLuhn('378282246310005')).toBe(true);
    expect(passesLuhn('4111 1111 1111 1112')).toBe(false);
    expect(passesLuhn('')).toBe(false);
  });

  it('accepts IBANs that pass mod 97 with their country length, and rejects altered ones', () => {
    expect(passesIbanCheck('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(passesIbanCheck('DE89370400440532013000')).toBe(true);
    expect(passesIbanCheck('fr14 2004 1010 0505 0001 3m02 606')).toBe(true);
    expect(passesIbanCheck('GB82 WEST 1234 5698 7654 33')).toBe(false);
    expect(passesIbanCheck('DE8937040044053201300')).toBe(false);
  });
});

describe('detectPii', () => {
  it.each<[string, Array<[PiiKind, string]>]>([
    ['write to jane.doe+billing@example.co.uk today', [['email', 'jane.doe+billing@example.co.uk']]],
    ['call me on +44 20 7946 0958 after six', [['phone', '+44 20 7946 0958']]],
    ['my number is (555) 010-4477', [['phone', '(555) 010-4477']]],
    ['US office: 415-555-0132', [['phone', '415-555-0132']]],
    ['card 4111 1111 1111 1111 exp 12/29', [['payment_card', '4111 1111 1111 1111']]],
    ['amex 378282246310005.', [['payment_card', '378282246310005']]],
    // A card sharing its run of digit groups with the digits before or after it (found by the redaction property).
    [
      '+1 000 000 0001 4000000000006 then',
      [
        ['phone', '+1 000 000 0001'],
        ['payment_card', '4000000000006'],
      ],
    ],
    [
      '4000 0000 0000 6 4000 0000 0000 6',
      [
        ['payment_card', '4000 0000 0000 6'],
        ['payment_card', '4000 0000 0000 6'],
      ],
    ],
    // A phone number that reads as one long number with the card after it, until the card is taken out.
    [
      '+1 000 000 0100 4000 0000 1000 5 ok',
      [
        ['phone', '+1 000 000 0100'],
        ['payment_card', '4000 0000 1000 5'],
      ],
    ],
    ['IBAN GB82 WEST 1234 5698 7654 32 please refund', [['iban', 'GB82 WEST 1234 5698 7654 32']]],
    ['pay to DE89370400440532013000', [['iban', 'DE89370400440532013000']]],
    ['SSN 123-45-6789', [['national_id', '123-45-6789']]],
    ['NI number AB 12 34 56 C on file', [['national_id', 'AB 12 34 56 C']]],
    [
      'ring 020 7946 0958 or 06 12 34 56 78',
      [
        ['phone', '020 7946 0958'],
        ['phone', '06 12 34 56 78'],
      ],
    ],
    ['my passport number is X1234567 and it expires soon', [['national_id', 'X1234567']]],
    // The four formats issue 14 found leaking, and their neighbours.
    ['ruf mich an: 0151 23456789', [['phone', '0151 23456789']]],
    ['card 4111.1111.1111.1111 please', [['payment_card', '4111.1111.1111.1111']]],
    [
      'it is four one one one one one one one one one one one one one one one',
      [['payment_card', 'four one one one one one one one one one one one one one one one']],
    ],
    ['mail jane dot doe at gmail dot com today', [['email', 'jane dot doe at gmail dot com']]],
    ['mail jane.doe[at]gmail[dot]com', [['email', 'jane.doe[at]gmail[dot]com']]],
    ['write to jane (at) example.org', [['email', 'jane (at) example.org']]],
    ['call +49 (0)151 2345 6789', [['phone', '+49 (0)151 2345 6789']]],
    ['call 0049 151 23456789', [['phone', '0049 151 23456789']]],
    ['call +33.6.12.34.56.78', [['phone', '+33.6.12.34.56.78']]],
    ['call +4915123456789', [['phone', '+4915123456789']]],
    [
      'call (415) 555-0132 or 415.555.0132',
      [
        ['phone', '(415) 555-0132'],
        ['phone', '415.555.0132'],
      ],
    ],
    ['DNI 12345678Z', [['national_id', '12345678Z']]],
    ['NIE X1234567L', [['national_id', 'X1234567L']]],
    ['NIR 2 55 08 14 168 025 38', [['national_id', '2 55 08 14 168 025 38']]],
    ['Steuer-ID 86095742719', [['national_id', '86095742719']]],
    ['codice fiscale RSSMRA85T10A562S', [['national_id', 'RSSMRA85T10A562S']]],
    ['NIF 123456789', [['national_id', '123456789']]],
  ])('%s', (text, expected) => {
    expect(kindsIn(text)).toEqual(expected);
  });

  it.each([
    'order 4111 1111 1111 1112 failed',
    'the build 2024-05-01 shipped version 1.12.3',
    'transfer reference GB82 WEST 1234 5698 7654 33',
    'placeholder card 0000 0000 0000 0000',
    'we sold 1200 units in 2023',
    'contact support at the help centre',
    'ticket 000-12-3456 is closed',
    'meet at 10:30 on 12.05.2024',
    // Neighbours that must stay: wrong check characters, look-alikes of the new formats.
    'look at example.com for details',
    'the dot com era ended in 2001',
    'DNI 12345678A',
    'NIR 2 55 08 14 168 025 39',
    'Steuer-ID 86095742718',
    'codice fiscale RSSMRA85T10A562T',
    'order 123456789 shipped',
    'version 4.11.0.1 of the app',
    'we sold 12 500 000 units',
    'ISBN 978-3-16-148410-0',
    'one two three four five six seven eight nine ten',
  ])('finds nothing in %s', (text) => {
    expect(detectPii(text)).toEqual([]);
  });

  it('names the rule that found each match and decodes disguised forms', () => {
    const text = 'jane dot doe at gmail dot com, card four one one one one one one one one one one one one one one one';
    expect(detectPii(text).map(({ rule, decoded }) => [rule, decoded])).toEqual([
      ['pii.email.obfuscated', 'jane.doe@gmail.com'],
      ['pii.payment_card.words', '4111111111111111'],
    ]);
    expect(detectPii('0151 23456789')[0]?.rule).toBe('pii.phone.national');
  });

  it('reports only the kinds asked for', () => {
    const text = 'mail a@b.io or call +1 415 555 0132';
    expect(detectPii(text, ['phone']).map((match) => match.kind)).toEqual(['phone']);
  });

  it('redacts every match with a placeholder naming its kind', () => {
    const text = 'Reach jane@example.com or +44 20 7946 0958; card 4111-1111-1111-1111.';
    expect(redactPii(text, detectPii(text))).toBe(
      'Reach [REDACTED_EMAIL] or [REDACTED_PHONE]; card [REDACTED_PAYMENT_CARD].',
    );
  });
});
