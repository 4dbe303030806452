import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { confinedOperatorFile, confinedPath, dataRootsOf } from './confined-path.js';

describe('confinedPath', () => {
  const root = mkdtempSync(join(tmpdir(), 'llmops-confined-'));
  const outside = mkdtempSync(join(tmpdir(), 'llmops-outside-'));
  mkdirSync(join(root, 'data'));
  writeFileSync(join(root, 'data', 'set.jsonl'), '{}\n');
  writeFileSync(join(outside, 'secret.txt'), 'secret\n');
  symlinkSync(outside, join(root, 'escape'));
  symlinkSync('/etc/passwd', join(root, 'data', 'link.jsonl'));
  symlinkSync(join(outside, 'not-yet.html'), join(root, 'data', 'dangling.html'));
  const dataRoot = mkdtempSync(join(tmpdir(), 'llmops-data-root-'));
  writeFileSync(join(dataRoot, 'shared.jsonl'), '{}\n');

  it('resolves files inside the root, existing or not', () => {
    expect(confinedPath({ root, file: 'data/set.jsonl', what: 'dataset', confine: true })).toBe(
      join(root, 'data', 'set.jsonl'),
    );
    expect(confinedPath({ root, file: 'data/new.jsonl', what: 'dataset', confine: true })).toBe(
      join(root, 'data', 'new.jsonl'),
    );
  });

  it('refuses parent escapes, absolute paths elsewhere and symbolic links that lead out', () => {
    for (const file of [
      '../x.jsonl',
      '../outside/',
      join(outside, 'secret.txt'),
      'escape/secret.txt',
      'escape/missing.txt',
      'data/link.jsonl',
      'data/dangling.html',
    ]) {
      expect(() => confinedPath({ root, file, what: 'dataset', confine: true })).toThrow(
        expect.objectContaining({ code: 'forbidden', message: expect.stringContaining(`dataset ${file} is outside`) }),
      );
    }
  });

  it('names the path, never the content of what it leads to', () => {
    expect(() => confinedPath({ root, file: 'data/link.jsonl', what: 'dataset', confine: true })).toThrow(
      /^dataset data\/link\.jsonl is outside the folder files are read from$/,
    );
  });

  it('also accepts files under a configured data root, and only there', () => {
    const dataRoots = [dataRoot];
    expect(confinedPath({ root, file: join(dataRoot, 'shared.jsonl'), what: 'corpus', confine: true, dataRoots })).toBe(
      join(dataRoot, 'shared.jsonl'),
    );
    expect(() =>
      confinedPath({ root, file: join(outside, 'secret.txt'), what: 'corpus', confine: true, dataRoots }),
    ).toThrow(/is outside the workspace and data roots/);
  });

  it('reads data roots from LLMOPS_DATA_ROOTS, refusing relative ones', () => {
    expect(dataRootsOf({ LLMOPS_DATA_ROOTS: `/srv/a${delimiter}/srv/b` })).toEqual(['/srv/a', '/srv/b']);
    expect(dataRootsOf({})).toEqual([]);
    expect(() => dataRootsOf({ LLMOPS_DATA_ROOTS: 'data' })).toThrow(
      /LLMOPS_DATA_ROOTS: "data" is not an absolute folder/,
    );
  });

  it('only resolves when not confined', () => {
    expect(confinedPath({ root, file: '../x.jsonl', what: 'dataset', confine: false })).toBe(
      join(root, '..', 'x.jsonl'),
    );
  });
});

describe('confinedOperatorFile', () => {
  const root = mkdtempSync(join(tmpdir(), 'llmops-operator-'));
  const outside = mkdtempSync(join(tmpdir(), 'llmops-operator-outside-'));
  const dataRoot = mkdtempSync(join(tmpdir(), 'llmops-operator-data-'));
  writeFileSync(join(outside, 'policy.yaml'), 'secret: OUTSIDE-CONTENT\n');
  writeFileSync(join(dataRoot, 'shared.yaml'), 'shared: true\n');
  symlinkSync(join(outside, 'policy.yaml'), join(root, 'guardrails.yaml'));
  symlinkSync(join(dataRoot, 'shared.yaml'), join(root, 'shared.yaml'));

  it('refuses a link out of the workspace, naming the file and the folders that are allowed, never its content', () => {
    let message = '';
    try {
      confinedOperatorFile({ root, file: 'guardrails.yaml', what: 'guardrails file', env: {} });
    } catch (error) {
      expect(error).toMatchObject({ code: 'forbidden' });
      message = (error as Error).message;
    }
    expect(message).toBe(
      `guardrails file guardrails.yaml is outside the folder files are read from; expected a path inside ${root} once links are followed (LLMOPS_DATA_ROOTS adds folders)`,
    );
    expect(message).not.toContain('OUTSIDE-CONTENT');
  });

  it('accepts a link into a data root of LLMOPS_DATA_ROOTS, and names the roots when it refuses', () => {
    const env = { LLMOPS_DATA_ROOTS: dataRoot };
    expect(confinedOperatorFile({ root, file: 'shared.yaml', what: 'conf', env })).toBe(join(root, 'shared.yaml'));
    expect(() => confinedOperatorFile({ root, file: 'guardrails.yaml', what: 'conf', env })).toThrow(
      `conf guardrails.yaml is outside the workspace and data roots; expected a path inside ${root} or ${dataRoot}`,
    );
  });
});
