/**
 * Check digits and letters of the national identity numbers the PII check finds. Each takes the
 * value as written (spaces, dots and dashes ignored, letters case-insensitive) and says whether it
 * is well formed and its check character is right.
 */

const spanishLetters = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI: 8 digits and a letter, the letter being `TRWAGMYFPDXBNJZSQVHLCKE`[number mod 23]. */
export function passesSpanishDni(value: string): boolean {
  const compact = value.replace(/[\s.-]/g, '').toUpperCase();
  const match = /^(\d{8})([A-Z])$/.exec(compact);
  return match !== null && spanishLetters[Number(match[1]) % 23] === match[2];
}

/** Spanish NIE: X, Y or Z (read as 0, 1, 2), 7 digits and the DNI's check letter of that 8-digit number. */
export function passesSpanishNie(value: string): boolean {
  const compact = value.replace(/[\s.-]/g, '').toUpperCase();
  const match = /^([XYZ])(\d{7})([A-Z])$/.exec(compact);
  if (match === null) return false;
  const number = Number(`${'XYZ'.indexOf(match[1] as string)}${match[2]}`);
  return spanishLetters[number % 23] === match[3];
}

/**
 * French NIR (numéro de sécurité sociale): 13 characters (sex 1 or 2, year, month, department,
 * commune, order; Corsica's departments `2A`/`2B` are read as 19 and 18) and a 2-digit key equal to
 * 97 minus the number mod 97.
 */
export function passesFrenchNir(value: string): boolean {
  const compact = value.replace(/[\s.-]/g, '').toUpperCase();
  const match = /^([12]\d{4})(\d{2}|2A|2B)(\d{6})(\d{2})$/.exec(compact);
  if (match === null) return false;
  const department = match[2] === '2A' ? '19' : match[2] === '2B' ? '18' : (match[2] as string);
  const number = BigInt(`${match[1]}${department}${match[3]}`);
  return 97n - (number % 97n) === BigInt(match[4] as string);
}

/**
 * German Steuer-ID (steuerliche Identifikationsnummer): 11 digits, the first not 0; among the first
 * ten exactly one digit appears twice or three times and no other repeats; the last is the ISO 7064
 * MOD 11,10 check digit of the first ten.
 */
export function passesGermanTaxId(value: string): boolean {
  const compact = value.replace(/[\s./-]/g, '');
  if (!/^[1-9]\d{10}$/.test(compact)) return false;
  const counts = new Map<string, number>();
  for (const digit of compact.slice(0, 10)) counts.set(digit, (counts.get(digit) ?? 0) + 1);
  const repeated = [...counts.values()].filter((count) => count > 1);
  if (repeated.length !== 1 || (repeated[0] as number) > 3) return false;
  let product = 10;
  for (const digit of compact.slice(0, 10)) {
    let sum = (Number(digit) + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  const check = (11 - product) % 10;
  return check === Number(compact[10]);
}

/** Values of the odd positions (1st, 3rd…) of a codice fiscale, for digits 0-9 then letters A-Z. */
const fiscalOddValues = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

/** Letters that replace digits of a codice fiscale when two people would share one (omocodia). */
const omocodiaLetters = 'LMNPQRSTUV';

function fiscalIndex(character: string): number {
  return /\d/.test(character) ? Number(character) : character.charCodeAt(0) - 65;
}

/**
 * Italian codice fiscale: 6 letters (surname, name), 2 digits (year), a month letter (A B C D E H L
 * M P R S T), 2 digits (day, +40 for women), a letter and 3 digits (place), and a check letter: the
 * sum of the odd positions' table values and the even positions' plain values (digits and letters
 * A=0…Z=25), mod 26, as a letter. Digits replaced by the omocodia letters L-V are accepted.
 */
export function passesItalianFiscalCode(value: string): boolean {
  const compact = value.replace(/\s/g, '').toUpperCase();
  const digit = `[0-9${omocodiaLetters}]`;
  if (!new RegExp(`^[A-Z]{6}${digit}{2}[ABCDEHLMPRST]${digit}{2}[A-Z]${digit}{3}[A-Z]$`).test(compact)) return false;
  let sum = 0;
  for (let position = 0; position < 15; position += 1) {
    const index = fiscalIndex(compact[position] as string);
    sum += position % 2 === 0 ? (fiscalOddValues[index] as number) : index;
  }
  return String.fromCharCode(65 + (sum % 26)) === compact[15];
}

/**
 * Portuguese NIF (número de contribuinte): 9 digits, starting with 1, 2, 3 (people), 5, 6, 8 or 9
 * (companies and others), whose last digit is 11 minus the weighted sum (weights 9…2) mod 11, or 0
 * when that is 10 or 11.
 */
export function passesPortugueseNif(value: string): boolean {
  const compact = value.replace(/[\s.-]/g, '');
  if (!/^[1235689]\d{8}$/.test(compact)) return false;
  let sum = 0;
  for (let position = 0; position < 8; position += 1) sum += Number(compact[position]) * (9 - position);
  const check = 11 - (sum % 11);
  return (check >= 10 ? 0 : check) === Number(compact[8]);
}

/**
 * US Social Security number as written `123-45-6789` (or with spaces): area not 000, 666 or
 * 900-999, group not 00, serial not 0000 (the SSA's rules; SSNs have no check digit).
 */
export function passesUsSsn(value: string): boolean {
  const match = /^(\d{3})[\s-]?(\d{2})[\s-]?(\d{4})$/.exec(value.trim());
  if (match === null) return false;
  const [area, group, serial] = [match[1] as string, match[2] as string, match[3] as string];
  return area !== '000' && area !== '666' && !area.startsWith('9') && group !== '00' && serial !== '0000';
}

/**
 * UK National Insurance number `AB 12 34 56 C`: two prefix letters (not D, F, I, Q, U, V; second not
 * O; not BG, GB, KN, NK, NT, TN, ZZ), six digits, a suffix A-D. It has no check character.
 */
export function passesUkNino(value: string): boolean {
  const compact = value.replace(/\s/g, '').toUpperCase();
  if (!/^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/.test(compact)) return false;
  return !['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(compact.slice(0, 2));
}
