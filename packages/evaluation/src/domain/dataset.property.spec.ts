import fc from 'fast-check';
import { stringify } from 'yaml';
import { LlmopsError } from '@llmops/kernel';
import { parseCsv } from './csv.js';
import { parseDataset } from './dataset.js';
import type { DatasetFormat } from './dataset.js';
import type { Example } from './example.js';

/** Text a person writes in a dataset: any characters, quotes, commas, pipes, brackets and line breaks included. */
const text = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom('a', ' ', ',', '"', '|', '[', ']', '{', '\n', '\r\n', 'é', '#', ':'),
    minLength: 1,
  }),
);
/** A value that is not blank once trimmed (ids, questions and passages must say something). */
const filled = text.filter((value) => value.trim() !== '');
const metadata = fc.dictionary(
  // `__proto__` is refused (tested apart); fast-check's strings produce it now and then.
  fc
    .oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.constantFrom('constructor', 'toString', 'hasOwnProperty'))
    .filter((name) => name !== '__proto__'),
  // Nested `__proto__` keys are refused too, at any depth; fc.json writes them now and then (about 1 run in 15).
  fc
    .json({ maxDepth: 2 })
    .filter((json) => !json.includes('"__proto__"'))
    .map((json) => JSON.parse(json) as unknown),
  { maxKeys: 3 },
);

/** Examples as a dataset holds them once read; optional fields present or absent, never empty (CSV cannot tell). */
const example: fc.Arbitrary<Example> = fc
  .record(
    {
      id: filled,
      // In CSV a cell starting with `[{` is a conversation (documented); every other question is text.
      input: filled.filter((value) => !/^\s*\[\s*\{/.test(value)),
      expected_output: text,
      reference_contexts: fc.array(filled, { minLength: 1, maxLength: 3 }),
      tags: fc.array(filled, { minLength: 1, maxLength: 3 }),
      output: text,
      metadata,
    },
    { requiredKeys: ['id', 'input'] },
  )
  .map((value) => value as Example);
const examples = fc.uniqueArray(example, { minLength: 1, maxLength: 6, selector: (value) => value.id });

const columns = ['id', 'input', 'expected_output', 'reference_contexts', 'tags', 'output', 'metadata'] as const;

function csvQuoted(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** Writes examples in a format as a tool would: JSON arrays for list and object columns of CSV, every cell quoted. */
function written(values: readonly Example[], format: DatasetFormat): string {
  switch (format) {
    case 'jsonl':
      return values.map((value) => JSON.stringify(value)).join('\n');
    case 'json':
      return JSON.stringify({ examples: values }, null, 2);
    case 'yaml':
      // Quoted scalars: the yaml package's block scalars lose a first line of spaces (" \n" reads back as "\n").
      return stringify(values, { blockQuote: false });
    case 'csv': {
      const rows = values.map((value) =>
        columns
          .map((column) => {
            const cell = (value as Record<string, unknown>)[column];
            if (cell === undefined) return '';
            return csvQuoted(typeof cell === 'string' ? cell : JSON.stringify(cell));
          })
          .join(','),
      );
      return [columns.join(','), ...rows].join('\r\n');
    }
  }
}

/** Parses, expecting either a dataset or `invalid_input` naming the file; anything else fails the property. */
function parsedOrRefused(source: string, content: string): void {
  try {
    parseDataset(content, { source });
  } catch (error) {
    expect(LlmopsError.isInstance(error) && error.code).toBe('invalid_input');
    expect((error as Error).message).toContain(source);
  }
}

describe('parseDataset properties (fast-check)', () => {
  it('reads back the examples it was given, with the same hash, in JSONL, JSON, YAML and CSV', () => {
    fc.assert(
      fc.property(examples, (values) => {
        const hashes = (['jsonl', 'json', 'yaml', 'csv'] as const).map((format) => {
          const dataset = parseDataset(written(values, format), { source: `set.${format}` });
          expect(dataset.examples).toEqual(values);
          return dataset.hash;
        });
        expect(new Set(hashes).size).toBe(1);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a __proto__ key in an example, naming the file, the line and the path (zod would drop it)', () => {
    fc.assert(
      fc.property(examples, fc.nat(), fc.constantFrom('jsonl', 'json', 'csv'), (values, at, format) => {
        const index = at % values.length;
        const poisoned = values.map((value, position) =>
          position === index
            ? { ...value, metadata: JSON.parse('{"__proto__": {"admin": true}}') as Record<string, unknown> }
            : value,
        );
        const line = format === 'jsonl' ? String(index + 1) : '\\d+'; // CSV and JSON records may span lines
        expect(() => parseDataset(written(poisoned, format), { source: `set.${format}` })).toThrow(
          new RegExp(`^set\\.${format}:${line}: metadata\\.__proto__: the key "__proto__" is refused`),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('answers any text in any format with a dataset or invalid_input naming the file, never another error', () => {
    const noise = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({
        unit: fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\n', 'id', 'input', '1', '-', ' ', '*a', '&a', '!!'),
        maxLength: 80,
      }),
      examples.map((values) => written(values, 'jsonl')).map((value) => value.slice(0, value.length - 3)),
    );
    fc.assert(
      fc.property(noise, fc.constantFrom('a.jsonl', 'a.csv', 'a.yaml', 'a.json'), (content, source) => {
        parsedOrRefused(source, content);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseCsv properties (fast-check)', () => {
  it('reads back any records written with RFC 4180 quoting, with LF or CRLF rows', () => {
    const records = fc.array(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 5 }), {
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(records, fc.constantFrom('\n', '\r\n'), (rows, ending) => {
        const csv = rows.map((cells) => cells.map(csvQuoted).join(',')).join(ending);
        expect(parseCsv(csv, 'x.csv').map((record) => record.cells)).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });
});
