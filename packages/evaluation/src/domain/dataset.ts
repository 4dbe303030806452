import { jsonSyntaxProblem, LlmopsError, parseWithSchema } from '@llmops/kernel';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { contentHash } from './canonical-json.js';
import { parseCsv } from './csv.js';
import { exampleSchema } from './example.js';
import type { Example } from './example.js';

/** The file formats of datasets. */
export type DatasetFormat = 'jsonl' | 'csv' | 'yaml' | 'json';

/**
 * A validated evaluation dataset. Its `hash` (SHA-256 of the canonical JSON of its examples) is its
 * version: two files with the same examples in any format have the same hash, and any edit changes it.
 */
export interface Dataset {
  /** A short name, by default the file name without its extension. */
  name: string;
  /** Where it was read from (a path or a description). */
  source: string;
  format: DatasetFormat;
  /** SHA-256 hex of the canonical JSON of the examples. */
  hash: string;
  /** The first 12 hex digits of the hash, for display and MLflow's dataset digest. */
  digest: string;
  examples: Example[];
}

/** Options of {@link parseDataset}. */
export interface ParseDatasetOptions {
  /** The file name used in errors and, without its extension, as the dataset name. */
  source: string;
  /** The format; guessed from the extension of `source` when absent. */
  format?: DatasetFormat;
  /** Overrides the dataset name. */
  name?: string;
}

/** The format of a dataset file, from its extension. */
export function datasetFormatOf(path: string): DatasetFormat | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (extension === 'jsonl' || extension === 'ndjson') return 'jsonl';
  if (extension === 'csv') return 'csv';
  if (extension === 'yaml' || extension === 'yml') return 'yaml';
  if (extension === 'json') return 'json';
  return undefined;
}

function baseName(source: string): string {
  const file = source.split(/[\\/]/).pop() ?? source;
  return file.replace(/\.[^.]+$/, '') || 'dataset';
}

interface RawExample {
  value: unknown;
  line: number;
}

function validate(raw: readonly RawExample[], source: string): Example[] {
  const examples: Example[] = [];
  const seen = new Map<string, number>();
  for (const { value, line } of raw) {
    const example = parseWithSchema(exampleSchema, value, { where: `${source}:${line}` });
    const previous = seen.get(example.id);
    if (previous !== undefined) {
      throw new LlmopsError(
        'invalid_input',
        `${source}:${line}: id: "${example.id}" is already used on line ${previous}; expected unique ids`,
      );
    }
    seen.set(example.id, line);
    examples.push(example);
  }
  return examples;
}

function readJsonl(text: string, source: string): RawExample[] {
  const raw: RawExample[] = [];
  text.split(/\r?\n/).forEach((content, index) => {
    if (content.trim() === '' || content.trimStart().startsWith('//')) return;
    try {
      raw.push({ value: JSON.parse(content), line: index + 1 });
    } catch (cause) {
      throw new LlmopsError(
        'invalid_input',
        `${source}:${index + 1}: ${jsonSyntaxProblem(cause)}; expected one JSON object per line`,
        { cause },
      );
    }
  });
  return raw;
}

const listColumns = new Set(['reference_contexts', 'retrieval_context', 'tags']);
/** A cell holding a JSON list of texts (`["a", "b"]`, `[]`), not text that merely starts with `[`. */
const jsonTextList = /^\s*\[\s*["\]]/;
/** A cell holding a JSON list of chat messages (`[{"role": …}]`), not a question that starts with `[`. */
const jsonMessageList = /^\s*\[\s*\{/;

function csvCell(column: string, text: string, place: string): unknown {
  if (listColumns.has(column)) {
    if (text.trim() === '') return undefined;
    if (jsonTextList.test(text)) return parseJsonCell(text, place);
    return text
      .split('|')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  if (column === 'variables' || column === 'metadata')
    return text.trim() === '' ? undefined : parseJsonCell(text, place);
  if (column === 'input' && jsonMessageList.test(text)) return parseJsonCell(text, place);
  if (text === '' && column !== 'id' && column !== 'input') return undefined;
  return text;
}

function parseJsonCell(text: string, place: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new LlmopsError('invalid_input', `${place}: the cell is ${jsonSyntaxProblem(cause)}`, {
      cause,
    });
  }
}

function readCsv(text: string, source: string): RawExample[] {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''), source);
  if (!header) return [];
  const columns = header.cells.map((cell) => cell.trim());
  return rows.map((row) => {
    if (row.cells.length !== columns.length) {
      throw new LlmopsError(
        'invalid_input',
        `${source}:${row.line}: ${row.cells.length} cells; expected ${columns.length} (${columns.join(', ')})`,
      );
    }
    const value: Record<string, unknown> = {};
    columns.forEach((column, index) => {
      const cell = csvCell(column, row.cells[index] as string, `${source}:${row.line}: ${column}`);
      if (cell !== undefined) value[column] = cell;
    });
    return { value, line: row.line };
  });
}

function readYaml(text: string, source: string): RawExample[] {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const error = document.errors[0];
  if (error) {
    const position = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
    const where = `${source}:${position.line}:${position.col}`;
    throw new LlmopsError('invalid_input', `${where}: syntax error: ${error.message.split('\n')[0]}`);
  }
  let list: YamlNode | null | undefined = document.contents as YamlNode | null;
  if (isMap(list)) list = list.get('examples', true) as YamlNode | undefined;
  if (list === null || list === undefined) return [];
  if (!isSeq(list))
    throw new LlmopsError(
      'invalid_input',
      `${source}:1: expected a list of examples (or a mapping with an \`examples\` list)`,
    );
  return list.items.map((item) => {
    const node = item as YamlNode;
    return { value: node.toJSON(), line: node.range ? lines.linePos(node.range[0]).line : 1 };
  });
}

/**
 * Reads and validates a dataset from the text of a file:
 * - `jsonl`: one JSON example per line (blank lines skipped);
 * - `csv`: a header row naming the fields; list fields (`reference_contexts`, `retrieval_context`, `tags`)
 *   are a JSON array of texts (`["a", "b"]`) or `|`-separated, `variables` and `metadata` are JSON objects, an
 *   `input` starting with `[{` is a JSON list of chat messages (any other `input` is the question's text);
 * - `yaml` / `json`: a list of examples, or a mapping with an `examples` list.
 * @throws LlmopsError `invalid_input` naming the file, the line and the field of the first invalid
 * example (every issue of that example), a duplicate id, or an empty dataset.
 */
export function parseDataset(text: string, options: ParseDatasetOptions): Dataset {
  const { source } = options;
  const format = options.format ?? datasetFormatOf(source);
  if (format === undefined) {
    throw new LlmopsError(
      'invalid_input',
      `dataset ${source}: unknown format; expected a .jsonl, .csv, .yaml, .yml or .json file`,
    );
  }
  const raw =
    format === 'jsonl' ? readJsonl(text, source) : format === 'csv' ? readCsv(text, source) : readYaml(text, source);
  const examples = validate(raw, source);
  if (examples.length === 0)
    throw new LlmopsError('invalid_input', `dataset ${source} has no examples; expected at least one`);
  return createDataset({ examples, source, format, name: options.name ?? baseName(source) });
}

/** Builds a dataset from examples already validated (for example sent inline to the API). */
export function createDataset(options: {
  examples: Example[];
  source: string;
  name: string;
  format?: DatasetFormat;
}): Dataset {
  const hash = contentHash(options.examples);
  return {
    name: options.name,
    source: options.source,
    format: options.format ?? 'json',
    hash,
    digest: hash.slice(0, 12),
    examples: options.examples,
  };
}
