/** The pieces that frame every text, and the one that stands for a word the vocabulary cannot spell. */
const classPiece = '[CLS]';
const separatorPiece = '[SEP]';
const unknownPiece = '[UNK]';
/** A word longer than this (in code points) is one `[UNK]`, as BERT's WordPiece reads it. */
const longestWord = 100;
const continuation = '##';

/** Removed by BERT's text cleaning: NUL, U+FFFD and every "other" character (controls, formats, unassigned, private use, surrogates) except tab and line breaks. */
const removed = /[\0\uFFFD]|(?![\t\n\r])[\p{Cc}\p{Cf}\p{Cn}\p{Co}\p{Cs}]/u;
const whitespace = /[\t\n\r\p{White_Space}]/u;
const nonspacingMark = /\p{Mn}/u;
/** BERT's punctuation: ASCII punctuation (symbols such as `$`, `+`, `|` included) and Unicode's punctuation classes. */
const punctuation = /[!-/:-@[-`{-~]|\p{P}/u;

/** The CJK ideograph blocks that BERT splits into one word per character. */
const cjkRanges: readonly (readonly [number, number])[] = [
  [0x4e00, 0x9fff],
  [0x3400, 0x4dbf],
  [0x20000, 0x2a6df],
  [0x2a700, 0x2b73f],
  [0x2b740, 0x2b81f],
  [0x2b920, 0x2ceaf],
  [0xf900, 0xfaff],
  [0x2f800, 0x2fa1f],
];

function isCjk(character: string): boolean {
  const code = character.codePointAt(0) as number;
  return cjkRanges.some(([low, high]) => code >= low && code <= high);
}

/**
 * BERT's basic tokenizer (uncased): the text cleaned (see {@link removed}; whitespace to spaces), a space around each
 * CJK ideograph, accents stripped (NFD, nonspacing marks dropped), lower-cased one character at a time, then split
 * on whitespace and around each punctuation character.
 */
export function basicWords(text: string): string[] {
  let cleaned = '';
  for (const character of text) {
    if (removed.test(character)) continue;
    if (whitespace.test(character)) cleaned += ' ';
    else if (isCjk(character)) cleaned += ` ${character} `;
    else cleaned += character;
  }
  let normalised = '';
  for (const character of cleaned.normalize('NFD'))
    if (!nonspacingMark.test(character)) normalised += character.toLowerCase();
  const words: string[] = [];
  let word = '';
  for (const character of normalised) {
    if (whitespace.test(character) || punctuation.test(character)) {
      if (word) words.push(word);
      word = '';
      if (!whitespace.test(character)) words.push(character);
    } else word += character;
  }
  if (word) words.push(word);
  return words;
}

/**
 * BERT's uncased WordPiece tokenizer, as all-MiniLM-L6-v2 reads text: {@link basicWords}, then each word split
 * greedily into the longest pieces of the vocabulary (`##` before a piece that continues a word; a word that cannot
 * be spelled, or is longer than 100 characters, becomes `[UNK]`), framed by `[CLS]` and `[SEP]` and cut to
 * `maxTokens` ids in all.
 */
export class WordPieceTokenizer {
  private readonly idOf: ReadonlyMap<string, number>;
  private readonly maxTokens: number;

  /**
   * @param vocabulary the pieces, the id of each its index
   * @param maxTokens the most ids of a text, `[CLS]` and `[SEP]` included
   */
  constructor(
    private readonly vocabulary: readonly string[],
    maxTokens: number,
  ) {
    this.idOf = new Map(vocabulary.map((piece, id) => [piece, id]));
    this.maxTokens = maxTokens;
  }

  /** The piece ids of a text, `[CLS]` first and `[SEP]` last. */
  encode(text: string): number[] {
    const ids = [this.id(classPiece)];
    for (const word of basicWords(text)) {
      ids.push(...this.wordIds(word));
      if (ids.length >= this.maxTokens - 1) break;
    }
    ids.length = Math.min(ids.length, this.maxTokens - 1);
    ids.push(this.id(separatorPiece));
    return ids;
  }

  /** The pieces of ids (for tests and errors). */
  pieces(ids: readonly number[]): string[] {
    return ids.map((id) => this.vocabulary[id] as string);
  }

  private id(piece: string): number {
    return this.idOf.get(piece) ?? (this.idOf.get(unknownPiece) as number);
  }

  private wordIds(word: string): number[] {
    const characters = Array.from(word);
    if (characters.length > longestWord) return [this.id(unknownPiece)];
    const ids: number[] = [];
    for (let start = 0; start < characters.length;) {
      let end = characters.length;
      let found: number | undefined;
      for (; end > start; end -= 1) {
        const piece = (start > 0 ? continuation : '') + characters.slice(start, end).join('');
        found = this.idOf.get(piece);
        if (found !== undefined) break;
      }
      if (found === undefined) return [this.id(unknownPiece)];
      ids.push(found);
      start = end;
    }
    return ids;
  }
}
