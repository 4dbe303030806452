import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InferenceRecord } from '../../domain/batch/inference-record.js';
import { compactOutput, JsonlInferenceOutput, readExistingOutput } from './jsonl-inference-output.js';

const folder = mkdtempSync(join(tmpdir(), 'llmops-inference-output-'));

function record(id: string, line: number, error?: string): InferenceRecord {
  return {
    id,
    line,
    input_sha256: `hash-${id}`,
    model: 'offline/extractive',
    answer: error ? null : `answer ${id}`,
    usage: error ? null : { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    latency_ms: 1,
    ...(error ? { error: { code: 'upstream_error', message: error } } : {}),
  };
}

describe('inference output', () => {
  it('reads back what the writer appended, the last record of an id winning', () => {
    const path = join(folder, 'written.jsonl');
    const writer = new JsonlInferenceOutput(path);
    writer.append(record('a', 1, 'upstream 503'));
    writer.append(record('b', 2));
    writer.append(record('a', 1));
    writer.close();
    const { records, truncatedLastLine } = readExistingOutput(path, 'written.jsonl');
    expect(truncatedLastLine).toBe(false);
    expect([...records.values()].map((each) => [each.id, each.answer])).toEqual([
      ['a', 'answer a'],
      ['b', 'answer b'],
    ]);
  });

  it('cuts off a partial last line left by a crash, so the next append starts a clean line', () => {
    const path = join(folder, 'crashed.jsonl');
    writeFileSync(path, `${JSON.stringify(record('a', 1))}\n${JSON.stringify(record('b', 2)).slice(0, 30)}`);
    const existing = readExistingOutput(path, 'crashed.jsonl');
    expect([existing.truncatedLastLine, [...existing.records.keys()]]).toEqual([true, ['a']]);
    const writer = new JsonlInferenceOutput(path);
    writer.append(record('b', 2));
    writer.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as InferenceRecord).id)).toEqual(['a', 'b']);
  });

  it('refuses a complete line that is not a record, naming the file and line', () => {
    const path = join(folder, 'foreign.jsonl');
    writeFileSync(path, `${JSON.stringify(record('a', 1))}\n{"hello": "world"}\n`);
    expect(() => readExistingOutput(path, 'foreign.jsonl')).toThrow(/^output foreign\.jsonl line 2: id: /);
    writeFileSync(path, 'not json\n');
    expect(() => readExistingOutput(path, 'foreign.jsonl')).toThrow(/^output foreign\.jsonl line 1 is not JSON/);
  });

  it('compacts to one record per id in input order, records of unknown ids last', () => {
    const path = join(folder, 'compact.jsonl');
    const writer = new JsonlInferenceOutput(path);
    for (const each of [record('c', 3), record('old', 9), record('a', 1, 'timeout'), record('b', 2), record('a', 1)]) {
      writer.append(each);
    }
    writer.close();
    const { records } = readExistingOutput(path, 'compact.jsonl');
    compactOutput(path, { order: ['a', 'b', 'c'], records });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as InferenceRecord).id)).toEqual(['a', 'b', 'c', 'old']);
    expect((JSON.parse(lines[0] as string) as InferenceRecord).error).toBeUndefined();
  });
});
