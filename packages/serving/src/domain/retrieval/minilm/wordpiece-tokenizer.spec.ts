import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MiniLmEncoder } from './minilm-encoder.js';
import { basicWords } from './wordpiece-tokenizer.js';

/**
 * The fixture (`write-minilm.py fixture`): 60 texts (accents, punctuation, option names, numbers, CJK, emoji, control
 * and zero-width characters, a word of 101 letters, texts past 256 pieces), each with the word pieces that Python's
 * `tokenizers` gave with all-MiniLM-L6-v2's tokenizer.json (no padding, truncated to 256), and a small model whose
 * vocabulary is the pieces those texts use (greedy longest match over a subset that holds every piece chosen from
 * the whole vocabulary picks the same pieces).
 */
const fixtures = join(__dirname, '__fixtures__');
const expected = JSON.parse(readFileSync(join(fixtures, 'minilm-fixture.json'), 'utf8')) as {
  text: string;
  pieces: string[];
  ids: number[];
}[];
const { tokenizer } = new MiniLmEncoder(readFileSync(join(fixtures, 'minilm-fixture.bin')), 'minilm-fixture.bin');

describe('WordPieceTokenizer', () => {
  it.each(expected.map((row) => [JSON.stringify(row.text).slice(0, 60), row] as const))(
    'gives the pieces and ids that Python tokenizers gives for %s',
    (_, row) => {
      const ids = tokenizer.encode(row.text);
      expect(tokenizer.pieces(ids)).toEqual(row.pieces);
      expect(ids).toEqual(row.ids);
    },
  );

  it('keeps at most 256 ids, [SEP] last, for a long text', () => {
    const ids = tokenizer.encode('token '.repeat(400));
    expect(ids).toHaveLength(256);
    expect(tokenizer.pieces(ids.slice(-2))).toEqual(['token', '[SEP]']);
  });
});

describe('basicWords', () => {
  it('lower-cases, strips accents, drops format characters and splits punctuation and ideographs', () => {
    expect(basicWords('Ça--va? Zero\u200bwidth 中文ok')).toEqual([
      'ca',
      '-',
      '-',
      'va',
      '?',
      'zerowidth',
      '中',
      '文',
      'ok',
    ]);
  });
});
