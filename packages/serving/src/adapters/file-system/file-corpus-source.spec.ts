import { cpSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCorpusSource } from './file-corpus-source.js';

const fixtures = join(__dirname, '..', '..', '__fixtures__');

function copyOfKb(): string {
  const root = mkdtempSync(join(tmpdir(), 'llmops-corpus-'));
  cpSync(join(fixtures, 'kb'), join(root, 'kb'), { recursive: true });
  return root;
}

describe('FileCorpusSource', () => {
  it('reads a folder of Markdown and text files recursively, in path order, with titles', async () => {
    const snapshot = await new FileCorpusSource({ root: fixtures }).read('kb');
    expect(snapshot.documents.map((document) => [document.source, document.title])).toEqual([
      ['accounts.txt', undefined],
      ['billing/invoices.md', 'Invoices'],
      ['refunds.md', 'Refunds and returns'],
      ['shipping.md', 'Shipping'],
    ]);
    const refunds = snapshot.documents.find((document) => document.source === 'refunds.md');
    expect(refunds?.text.startsWith('# Refunds and returns')).toBe(true);
    expect(refunds?.text).not.toContain('title:');
    expect(snapshot.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads a JSONL file of passages, with ids and sources or line-based sources', async () => {
    const snapshot = await new FileCorpusSource({ root: fixtures }).read('passages.jsonl');
    expect(snapshot.documents.map((document) => [document.id, document.source])).toEqual([
      ['warranty-1', 'warranty.md'],
      ['warranty-2', 'warranty.md'],
      [undefined, 'passages.jsonl#3'],
    ]);
  });

  it('hashes content: the same files give the same hash, a changed byte a different one', async () => {
    const root = copyOfKb();
    const source = new FileCorpusSource({ root });
    const first = await source.read('kb');
    expect((await new FileCorpusSource({ root: fixtures }).read('kb')).contentHash).toBe(first.contentHash);
    writeFileSync(join(root, 'kb', 'shipping.md'), '# Shipping\n\nStandard orders ship within three business days.\n');
    expect((await source.read('kb')).contentHash).not.toBe(first.contentHash);
  });

  it('changes its fingerprint when a file is touched or added', async () => {
    const root = copyOfKb();
    const source = new FileCorpusSource({ root });
    const before = await source.fingerprint('kb');
    expect(await source.fingerprint('kb')).toBe(before);
    utimesSync(join(root, 'kb', 'refunds.md'), new Date(), new Date(Date.now() + 5_000));
    const touched = await source.fingerprint('kb');
    expect(touched).not.toBe(before);
    writeFileSync(join(root, 'kb', 'new.md'), '# New\n\nText.');
    expect(await source.fingerprint('kb')).not.toBe(touched);
    expect(await source.fingerprint('missing')).toBe('unreadable');
  });

  it('names what is wrong with a corpus', async () => {
    const root = mkdtempSync(join(tmpdir(), 'llmops-corpus-bad-'));
    const source = new FileCorpusSource({ root });
    await expect(source.read('nowhere')).rejects.toThrow(
      /^corpus nowhere \(.*nowhere\) does not exist; expected a folder of \.md\/\.txt files or a \.jsonl file of passages$/,
    );
    writeFileSync(join(root, 'bad.jsonl'), '{"text": "ok"}\n{"text": 3}\n');
    await expect(source.read('bad.jsonl')).rejects.toThrow(
      /bad\.jsonl:2: text: Invalid input: expected string, received number$/,
    );
    writeFileSync(join(root, 'broken.jsonl'), 'not json\n');
    await expect(source.read('broken.jsonl')).rejects.toThrow(/broken\.jsonl:1: not valid JSON/);
    writeFileSync(join(root, 'data.csv'), 'a,b\n');
    await expect(source.read('data.csv')).rejects.toThrow(
      /is a \.csv file; expected a folder, a \.jsonl, \.md, \.markdown or \.txt file/,
    );
  });
});
