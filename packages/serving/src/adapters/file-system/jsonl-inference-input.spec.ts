import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anonymousLineId } from '../../domain/batch/inference-input-line.js';
import { readInferenceInput } from './jsonl-inference-input.js';

const folder = mkdtempSync(join(tmpdir(), 'llmops-inference-input-'));

function inputFile(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

describe('readInferenceInput', () => {
  it('reads messages, input and question lines, keeps given ids and skips blank lines', () => {
    const path = inputFile(
      'mixed.jsonl',
      [
        '{"id": "q1", "input": "How much is Team?", "expected_output": "ignored"}',
        '',
        '{"id": 7, "question": "And Business?", "variables": {"tone": "short"}}',
        '{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]}',
      ].join('\n'),
    );
    const lines = readInferenceInput(path, 'mixed.jsonl');
    expect(lines.map((line) => [line.line, line.id, line.request?.messages.length])).toEqual([
      [1, 'q1', 1],
      [3, '7', 1],
      [4, anonymousLineId(4, lines[2]?.inputSha256 as string), 2],
    ]);
    expect(lines[0]?.request?.messages).toEqual([{ role: 'user', content: 'How much is Team?' }]);
    expect(lines[1]?.request?.variables).toEqual({ tone: 'short' });
    expect(lines[2]?.id).toMatch(/^line-4-[0-9a-f]{12}$/);
  });

  it('gives an edited line without id a new id, and the same line the same id', () => {
    const before = readInferenceInput(inputFile('a.jsonl', '{"input": "one"}\n{"input": "two"}\n'), 'a.jsonl');
    const after = readInferenceInput(inputFile('b.jsonl', '{"input": "one"}\n{"input": "two!"}\n'), 'b.jsonl');
    expect(after[0]?.id).toBe(before[0]?.id);
    expect(after[1]?.id).not.toBe(before[1]?.id);
  });

  it('keeps a malformed line with its line number and error, for its output record', () => {
    const path = inputFile('bad-line.jsonl', '{"input": "fine"}\n{"input": \n{"input": "x", "question": "y"}\n');
    const lines = readInferenceInput(path, 'bad-line.jsonl');
    expect(lines.map((line) => [line.line, line.request === undefined])).toEqual([
      [1, false],
      [2, true],
      [3, true],
    ]);
    expect(lines[1]?.error?.message).toMatch(/^bad-line\.jsonl line 2: not valid JSON/);
    expect(lines[2]?.error?.message).toMatch(
      /^bad-line\.jsonl line 3: .*exactly one of messages .*, input or question/,
    );
  });

  it('refuses a missing file, an empty file, a file that is not JSONL and duplicate ids', () => {
    expect(() => readInferenceInput(join(folder, 'absent.jsonl'), 'absent.jsonl')).toThrow(
      'input absent.jsonl not found; expected a JSONL file',
    );
    expect(() => readInferenceInput(inputFile('empty.jsonl', '\n\n'), 'empty.jsonl')).toThrow(
      'input empty.jsonl has no lines',
    );
    expect(() => readInferenceInput(inputFile('conf.yaml', 'job:\n  kind: x\n'), 'conf.yaml')).toThrow(
      /^input conf\.yaml is not JSONL: no line is a JSON object \(conf\.yaml line 1: not valid JSON/,
    );
    expect(() =>
      readInferenceInput(
        inputFile('twice.jsonl', '{"id": "a", "input": "x"}\n{"id": "a", "input": "y"}\n'),
        'twice.jsonl',
      ),
    ).toThrow('twice.jsonl line 2: id "a" is already used by line 1; expected unique ids');
  });
});
