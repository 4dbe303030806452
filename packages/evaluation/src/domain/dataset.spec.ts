import { parseDataset } from './dataset.js';

const jsonl = [
  '{"id": "q1", "input": "How long do refunds take?", "expected_output": "5 to 10 business days.", "reference_contexts": ["Refunds usually appear within 5 to 10 business days."], "tags": ["answerable"]}',
  '',
  '{"id": 2, "input": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Who is the CEO?"}], "tags": ["unanswerable"]}',
].join('\n');

describe('datasets', () => {
  it('reads JSONL, skipping blank lines, with numeric ids as text and conversations as input', () => {
    const dataset = parseDataset(jsonl, { source: 'data/support.jsonl' });
    expect(dataset).toMatchObject({ name: 'support', source: 'data/support.jsonl', format: 'jsonl' });
    expect(dataset.examples.map((example) => example.id)).toEqual(['q1', '2']);
    expect(dataset.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(dataset.digest).toBe(dataset.hash.slice(0, 12));
  });

  it('gives the same content hash to the same examples in JSONL, CSV and YAML, and another to any edit', () => {
    const fromJsonl = parseDataset(
      '{"id":"a","input":"Hi?","tags":["x","y"],"reference_contexts":["one, two","three"]}\n',
      { source: 'a.jsonl' },
    );
    const fromCsv = parseDataset('id,input,tags,reference_contexts\na,Hi?,x|y,"[""one, two"",""three""]"\n', {
      source: 'a.csv',
    });
    const fromYaml = parseDataset(
      'examples:\n  - id: a\n    input: Hi?\n    tags: [x, y]\n    reference_contexts: ["one, two", three]\n',
      { source: 'a.yaml' },
    );
    expect(fromCsv.hash).toBe(fromJsonl.hash);
    expect(fromYaml.hash).toBe(fromJsonl.hash);
    const edited = parseDataset(
      '{"id":"a","input":"Hi!","tags":["x","y"],"reference_contexts":["one, two","three"]}\n',
      { source: 'a.jsonl' },
    );
    expect(edited.hash).not.toBe(fromJsonl.hash);
  });

  it('reads CSV cells with quotes, commas and line breaks, naming the line a record starts on', () => {
    const csv = 'id,input,expected_output\n"a","Say ""hi"", then stop","line one\nline two"\nb,Second?,\n';
    const dataset = parseDataset(csv, { source: 'x.csv' });
    expect(dataset.examples).toEqual([
      { id: 'a', input: 'Say "hi", then stop', expected_output: 'line one\nline two' },
      { id: 'b', input: 'Second?' },
    ]);
    expect(() => parseDataset('id,input\nc,\n', { source: 'x.csv' })).toThrow(
      'x.csv:2: input: expected a non-empty question',
    );
    expect(() => parseDataset('id,input\na,b,c\n', { source: 'x.csv' })).toThrow(
      'x.csv:2: 3 cells; expected 2 (id, input)',
    );
    expect(() => parseDataset('id,input\na,"open\n', { source: 'x.csv' })).toThrow(
      'x.csv:2: a quoted cell is never closed',
    );
  });

  it('names file, line and field of an invalid example', () => {
    const bad = '{"id":"a","input":"ok?"}\n{"id":"b","input":"ok?","expected_ouput":"typo"}\n';
    expect(() => parseDataset(bad, { source: 'qa.jsonl' })).toThrow(
      'qa.jsonl:2: expected_ouput: Unrecognized key: "expected_ouput"',
    );
    expect(() => parseDataset('{"id":"a","input":"ok?","tags":"answerable"}\n', { source: 'qa.jsonl' })).toThrow(
      'qa.jsonl:1: tags: Invalid input: expected array, received string',
    );
    expect(() => parseDataset('{"id":"a","input":"ok?"}\n{"id":"a" "input":"x"}\n', { source: 'qa.jsonl' })).toThrow(
      /^qa\.jsonl:2: not valid JSON( \(.+\))?; expected one JSON object per line$/,
    );
    expect(() => parseDataset('- id: a\n  input: fine\n- id: b\n  input: 3\n', { source: 'qa.yaml' })).toThrow(
      /^qa\.yaml:3: input: Invalid input/,
    );
  });

  it("reads numbers and booleans in variables as their JSON text (promptfoo's vars), in JSONL, YAML and CSV", () => {
    const jsonlText = '{"id": "a", "input": "q", "variables": {"n": 3, "ratio": 0.5, "flag": true, "name": "Ada"}}';
    const yamlText = '- id: a\n  input: q\n  variables: {n: 3, ratio: 0.5, flag: true, name: Ada}\n';
    const csvText = 'id,input,variables\na,q,"{""n"": 3, ""ratio"": 0.5, ""flag"": true, ""name"": ""Ada""}"\n';
    const read = [
      parseDataset(jsonlText, { source: 'v.jsonl' }),
      parseDataset(yamlText, { source: 'v.yaml' }),
      parseDataset(csvText, { source: 'v.csv' }),
    ];
    for (const dataset of read)
      expect(dataset.examples[0]?.variables).toEqual({ n: '3', ratio: '0.5', flag: 'true', name: 'Ada' });
    // The same rendered values, the same dataset: `3` and `"3"` hash alike.
    const asText = '{"id": "a", "input": "q", "variables": {"n": "3", "ratio": "0.5", "flag": "true", "name": "Ada"}}';
    expect(parseDataset(asText, { source: 't.jsonl' }).hash).toBe(read[0]?.hash);
    expect(read.map((dataset) => dataset.hash)).toEqual([read[0]?.hash, read[0]?.hash, read[0]?.hash]);
  });

  it('refuses an object, a list or null as a variable, naming file, line, variable and what is expected', () => {
    for (const value of ['{"a": 1}', '[1, 2]', 'null']) {
      const text = `{"id": "a", "input": "q"}\n{"id": "b", "input": "q", "variables": {"n": 1, "bad": ${value}}}`;
      expect(() => parseDataset(text, { source: 'v.jsonl' })).toThrow(
        'v.jsonl:2: variables.bad: expected text, a number or true/false (an object, a list or null is not a variable value)',
      );
    }
  });

  it('refuses duplicate ids, empty datasets and unknown formats', () => {
    expect(() => parseDataset('{"id":"a","input":"x?"}\n{"id":"a","input":"y?"}\n', { source: 'd.jsonl' })).toThrow(
      'd.jsonl:2: id: "a" is already used on line 1; expected unique ids',
    );
    expect(() => parseDataset('\n\n', { source: 'empty.jsonl' })).toThrow(
      'dataset empty.jsonl has no examples; expected at least one',
    );
    expect(() => parseDataset('x', { source: 'data.txt' })).toThrow(
      'dataset data.txt: unknown format; expected a .jsonl, .csv, .yaml, .yml or .json file',
    );
    expect(() => parseDataset('a: [\n', { source: 'broken.yaml' })).toThrow(/^broken\.yaml:\d+:\d+: syntax error/);
  });
});
