import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { LlmopsError } from '../errors/llmops-error.js';
import { loadConfig, loadConfigDocument, parseOverride } from './config-loader.js';

const directory = mkdtempSync(join(tmpdir(), 'llmops-config-'));
function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

function failure(run: () => unknown): LlmopsError {
  try {
    run();
  } catch (error) {
    if (LlmopsError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an LlmopsError');
}

const schema = z.object({
  job: z.object({ kind: z.enum(['register', 'evaluate']), retries: z.number().int().default(1) }),
  store: z.string().default('sqlite:.llmops/llmops.db'),
  tags: z.array(z.string()).default([]),
});

describe('loadConfig', () => {
  it('merges files in order: mappings key by key, lists replaced', () => {
    const base = file('base.yaml', 'job:\n  kind: register\n  retries: 2\ntags: [a, b]\nstore: sqlite:base.db\n');
    const local = file('local.yaml', 'job:\n  retries: 5\ntags: [c]\n');
    expect(loadConfig({ files: [base, local], schema, env: {} })).toEqual({
      job: { kind: 'register', retries: 5 },
      store: 'sqlite:base.db',
      tags: ['c'],
    });
  });

  it('applies -e overrides last, with typed values', () => {
    const base = file('over.yaml', 'job:\n  kind: register\n');
    const config = loadConfig({
      files: [base],
      overrides: ['job.retries=9', 'job.kind=evaluate', 'tags=[x, y]'],
      schema,
      env: {},
    });
    expect(config.job).toEqual({ kind: 'evaluate', retries: 9 });
    expect(config.tags).toEqual(['x', 'y']);
  });

  it('interpolates ${env:VAR} and ${env:VAR:-default}, typing whole-value placeholders', () => {
    const path = file(
      'env.yaml',
      'job:\n  kind: ${env:KIND}\n  retries: ${env:RETRIES:-3}\nstore: sqlite:${env:DIR:-.llmops}/x.db\n',
    );
    expect(loadConfig({ files: [path], schema, env: { KIND: 'evaluate' } })).toMatchObject({
      job: { kind: 'evaluate', retries: 3 },
      store: 'sqlite:.llmops/x.db',
    });
    expect(loadConfig({ files: [path], schema, env: { KIND: 'register', RETRIES: '4', DIR: '/data' } })).toMatchObject({
      job: { retries: 4 },
      store: 'sqlite:/data/x.db',
    });
  });

  it('names the unset variable, the file and the key path', () => {
    const path = file('missing-env.yaml', 'job:\n  kind: ${env:LLMOPS_TEST_UNSET}\n');
    const error = failure(() => loadConfig({ files: [path], schema, env: {} }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(
      `${path}: job.kind: environment variable LLMOPS_TEST_UNSET is not set and has no default`,
    );
  });

  it('names the file, line and key path of a value that fails validation', () => {
    const base = file('valid.yaml', 'job:\n  kind: register\n');
    const bad = file('invalid.yaml', '# second file\njob:\n  kind: deploy\n  retries: many\n');
    const error = failure(() => loadConfig({ files: [base, bad], schema, env: {} }));
    expect(error.message).toContain(`${bad}:3: job.kind: Invalid option: expected one of "register"|"evaluate"`);
    expect(error.message).toContain(`${bad}:4: job.retries: Invalid input: expected number, received string`);
    expect(error.details).toHaveLength(2);
  });

  it('blames the override for a value it set', () => {
    const base = file('blame.yaml', 'job:\n  kind: register\n');
    const error = failure(() => loadConfig({ files: [base], overrides: ['job.retries=lots'], schema, env: {} }));
    expect(error.message).toContain('-e job.retries=lots: job.retries: Invalid input: expected number');
  });

  it('reports a missing required key against the file that should have it', () => {
    const path = file('nokind.yaml', 'job:\n  retries: 1\n');
    const error = failure(() => loadConfig({ files: [path], schema, env: {} }));
    expect(error.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1: job.kind: `));
  });

  it('reports YAML syntax errors with file, line and column', () => {
    const path = file('broken.yaml', 'job:\n  kind: register\n  tags: [a, b\n');
    const error = failure(() => loadConfigDocument({ files: [path], env: {} }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(new RegExp(`broken\\.yaml:\\d+:\\d+: YAML syntax error: `));
  });

  it('rejects duplicate keys, a missing file and a non-mapping top level', () => {
    expect(failure(() => loadConfigDocument({ files: [file('dup.yaml', 'a: 1\na: 2\n')] })).message).toMatch(
      /dup\.yaml:2:1: YAML syntax error/,
    );
    expect(failure(() => loadConfigDocument({ files: [join(directory, 'nope.yaml')] })).message).toBe(
      `config file ${join(directory, 'nope.yaml')} not found`,
    );
    expect(failure(() => loadConfigDocument({ files: [file('list.yaml', '- a\n- b\n')] })).message).toMatch(
      /expected a mapping of keys at the top level, found a list/,
    );
    expect(failure(() => loadConfigDocument({ files: [] })).message).toMatch(/no config file given/);
  });

  it('keeps the refusal of a reader that confines files, instead of calling the file unreadable', () => {
    const refusal = new LlmopsError('forbidden', 'conf link.yaml is outside the folder files are read from');
    const error = failure(() =>
      loadConfigDocument({
        files: ['link.yaml'],
        readFile: () => {
          throw refusal;
        },
      }),
    );
    expect(error).toBe(refusal);
  });

  it('treats an empty file as an empty mapping', () => {
    expect(loadConfigDocument({ files: [file('empty.yaml', '')] }).value).toEqual({});
  });
});

describe('parseOverride', () => {
  it('reads typed values', () => {
    expect(parseOverride('a.b=3')).toEqual({ path: ['a', 'b'], value: 3 });
    expect(parseOverride('flag=true')).toEqual({ path: ['flag'], value: true });
    expect(parseOverride('name=champion')).toEqual({ path: ['name'], value: 'champion' });
    expect(parseOverride('url=http://x:1/a=b')).toEqual({ path: ['url'], value: 'http://x:1/a=b' });
    expect(parseOverride('empty=')).toEqual({ path: ['empty'], value: '' });
  });

  it('rejects overrides without = or with an empty key part', () => {
    expect(() => parseOverride('nokey')).toThrow('override "nokey" is not of the form key.path=value');
    expect(() => parseOverride('=3')).toThrow(/not of the form key.path=value/);
    expect(() => parseOverride('a..b=3')).toThrow(/has an empty part/);
  });
});
