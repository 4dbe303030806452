/**
 * A SentencePiece unigram tokenizer (the `nmt_nfkc` normaliser of a model's precompiled character map, then
 * Viterbi over the pieces' scores), for the sentence encoder (`sentence-encoder.ts`). It gives the same piece ids
 * as the Python `sentencepiece` library for USE multilingual's model: `tools/guardrails/experiments/check-tokenizer.ts`
 * compares them on texts exported by `static-distil.py tokenizer`.
 */

/** What the tokenizer needs of a SentencePiece model. */
export interface SentencePieceVocabulary {
  /** Every piece, by id. */
  pieces: readonly string[];
  /** The log-probability of each piece, by id. */
  scores: Float32Array;
  /** The normaliser's precompiled character map: a darts-clone double-array trie and its replacement strings. */
  charsmap: Uint8Array;
  /** Ids that are never matched against text (`<unk>`, `<s>`, `</s>`, control pieces). */
  controlIds: readonly number[];
}

const unknownId = 0;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The replacement the character map gives for the longest key at `position`, or the character itself. */
class CharsmapNormalizer {
  private readonly units: Uint32Array;
  private readonly replacements: Uint8Array;

  constructor(charsmap: Uint8Array) {
    const view = new DataView(charsmap.buffer, charsmap.byteOffset, charsmap.byteLength);
    const trieSize = view.getUint32(0, true);
    this.units = new Uint32Array(trieSize / 4);
    for (let index = 0; index < this.units.length; index += 1) this.units[index] = view.getUint32(4 + index * 4, true);
    this.replacements = charsmap.subarray(4 + trieSize);
  }

  /** The normalised bytes of the longest match at `position`, and how many input bytes it consumed. */
  private prefix(bytes: Uint8Array, position: number): [Uint8Array, number] {
    const units = this.units;
    let bestLength = 0;
    let bestValue = 0;
    let unit = units[0] as number;
    let node = (unit >>> 10) << ((unit & 0x200) >>> 6);
    for (let index = position; index < bytes.length;) {
      const byte = bytes[index] as number;
      node ^= byte;
      unit = units[node] as number;
      if ((unit & 0x800000ff) >>> 0 !== byte) break;
      node ^= (unit >>> 10) << ((unit & 0x200) >>> 6);
      index += 1;
      if (unit & 0x100) {
        bestLength = index - position;
        bestValue = (units[node] as number) & 0x7fffffff;
      }
    }
    if (bestLength === 0 || bestValue >= this.replacements.length) {
      const length = utf8Length(bytes, position);
      return [bytes.subarray(position, position + length), length];
    }
    const end = this.replacements.indexOf(0, bestValue);
    return [this.replacements.subarray(bestValue, end), bestLength];
  }

  /** The text as the model reads it: mapped, extra spaces removed, a word-start mark before each word. */
  normalize(text: string): string {
    const bytes = encoder.encode(text);
    let position = 0;
    while (position < bytes.length) {
      const [piece, consumed] = this.prefix(bytes, position);
      if (!(piece.length === 1 && piece[0] === 0x20)) break;
      position += consumed;
    }
    if (position >= bytes.length) return '';
    const out: number[] = [0xe2, 0x96, 0x81];
    let previousSpace = true;
    while (position < bytes.length) {
      const [mapped, consumed] = this.prefix(bytes, position);
      position += consumed;
      let piece = mapped;
      if (previousSpace) {
        let start = 0;
        while (start < piece.length && piece[start] === 0x20) start += 1;
        piece = piece.subarray(start);
      }
      if (piece.length === 0) continue;
      for (const byte of piece) {
        if (byte === 0x20) out.push(0xe2, 0x96, 0x81);
        else out.push(byte);
      }
      previousSpace = piece[piece.length - 1] === 0x20;
    }
    while (
      out.length >= 3 &&
      out[out.length - 3] === 0xe2 &&
      out[out.length - 2] === 0x96 &&
      out[out.length - 1] === 0x81
    )
      out.length -= 3;
    return decoder.decode(new Uint8Array(out));
  }
}

function utf8Length(bytes: Uint8Array, position: number): number {
  const first = bytes[position] as number;
  const length = first < 0x80 ? 1 : first >> 5 === 0x6 ? 2 : first >> 4 === 0xe ? 3 : first >> 3 === 0x1e ? 4 : 1;
  for (let next = 1; next < length; next += 1) {
    if (position + next >= bytes.length || ((bytes[position + next] as number) & 0xc0) !== 0x80) return 1;
  }
  return length;
}

/** Splits text into the pieces of a SentencePiece unigram model, as `sentencepiece` does. */
export class SentencePieceTokenizer {
  private readonly normalizer: CharsmapNormalizer;
  /** Every prefix of a piece: the piece's id + 1, or 0 for a prefix that is not itself a piece. */
  private readonly prefixes = new Map<string, number>();
  private readonly scores: Float32Array;
  private readonly unknownScore: number;
  private readonly longest: number;

  constructor(vocabulary: SentencePieceVocabulary) {
    this.normalizer = new CharsmapNormalizer(vocabulary.charsmap);
    this.scores = vocabulary.scores;
    const control = new Set(vocabulary.controlIds);
    let lowest = Infinity;
    let longest = 0;
    vocabulary.pieces.forEach((piece, id) => {
      lowest = Math.min(lowest, vocabulary.scores[id] as number);
      if (control.has(id)) return;
      const characters = Array.from(piece);
      longest = Math.max(longest, characters.length);
      let prefix = '';
      for (const character of characters.slice(0, -1)) {
        prefix += character;
        if (!this.prefixes.has(prefix)) this.prefixes.set(prefix, 0);
      }
      this.prefixes.set(piece, id + 1);
    });
    this.unknownScore = lowest - 10;
    this.longest = longest;
  }

  /** The piece ids of a text (no `<s>` or `</s>`); none for a text that normalises to nothing. */
  encode(text: string): number[] {
    const characters = Array.from(this.normalizer.normalize(text));
    const length = characters.length;
    if (length === 0) return [];
    const best = new Float64Array(length + 1).fill(-1e38);
    best[0] = 0;
    const startOf = new Int32Array(length + 1);
    const pieceOf = new Int32Array(length + 1);
    for (let start = 0; start < length; start += 1) {
      const base = best[start] as number;
      const stop = Math.min(length, start + this.longest);
      let single = false;
      let candidate = '';
      for (let end = start + 1; end <= stop; end += 1) {
        candidate += characters[end - 1];
        const value = this.prefixes.get(candidate);
        if (value === undefined) break;
        if (value === 0) continue;
        const score = base + (this.scores[value - 1] as number);
        if (score > (best[end] as number)) {
          best[end] = score;
          startOf[end] = start;
          pieceOf[end] = value - 1;
        }
        if (end === start + 1) single = true;
      }
      if (!single) {
        const score = base + this.unknownScore;
        if (score > (best[start + 1] as number)) {
          best[start + 1] = score;
          startOf[start + 1] = start;
          pieceOf[start + 1] = unknownId;
        }
      }
    }
    const ids: number[] = [];
    for (let position = length; position > 0; position = startOf[position] as number)
      ids.push(pieceOf[position] as number);
    return ids.reverse();
  }
}
