import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confinedPath } from './confined-path.js';

describe('confinedPath', () => {
  const root = mkdtempSync(join(tmpdir(), 'llmops-confined-'));
  const outside = mkdtempSync(join(tmpdir(), 'llmops-outside-'));
  mkdirSync(join(root, 'data'));
  writeFileSync(join(root, 'data', 'set.jsonl'), '{}\n');
  writeFileSync(join(outside, 'secret.txt'), 'secret\n');
  symlinkSync(outside, join(root, 'escape'));

  it('resolves files inside the root, existing or not', () => {
    expect(confinedPath({ root, file: 'data/set.jsonl', what: 'dataset', confine: true })).toBe(
      join(root, 'data', 'set.jsonl'),
    );
    expect(confinedPath({ root, file: 'data/new.jsonl', what: 'dataset', confine: true })).toBe(
      join(root, 'data', 'new.jsonl'),
    );
  });

  it('refuses parent escapes, absolute paths elsewhere and symbolic links that lead out', () => {
    for (const file of ['../x.jsonl', join(outside, 'secret.txt'), 'escape/secret.txt', 'escape/missing.txt']) {
      expect(() => confinedPath({ root, file, what: 'dataset', confine: true })).toThrow(
        expect.objectContaining({ code: 'forbidden', message: expect.stringContaining(`dataset ${file} is outside`) }),
      );
    }
  });

  it('only resolves when not confined', () => {
    expect(confinedPath({ root, file: '../x.jsonl', what: 'dataset', confine: false })).toBe(
      join(root, '..', 'x.jsonl'),
    );
  });
});
