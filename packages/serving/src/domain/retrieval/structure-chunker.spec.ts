import { countTokens, splitSentences } from '@llmops/providers';
import { chunkByStructure } from './structure-chunker.js';

const tools = { countTokens: (text: string) => countTokens(text), splitSentences };

const manPage = [
  'TOOL-SEND(1)                    Tool Manual                    TOOL-SEND(1)',
  '',
  'NAME',
  '       tool-send - copy parcels to a depot',
  '',
  'DESCRIPTION',
  '       tool send copies parcels to a depot. A parcel counts as sent only',
  '       after the depot has confirmed it.',
  '',
  'OPTIONS',
  '       --retries=N, -r N',
  '              Try each piece up to N more times after a failed attempt',
  '              before giving up on it. The default is 5.',
  '',
  '              Setting N to 0 turns retrying off.',
  '',
  '       --all  Send to every depot in turn, not only to the default',
  '              one.',
  '',
  'EXIT STATUS',
  '       0      Every parcel is now at the depot.',
  '',
  '       7      Some pieces could not be sent.',
  '',
  'tool 1.0                        2025-01-01                     TOOL-SEND(1)',
].join('\n');

describe('chunkByStructure', () => {
  it('packs the entries of one section into a passage, with the page title and the terms in the section path', () => {
    const passages = chunkByStructure(
      { source: 'tool-send.txt', text: manPage },
      { maxTokens: 200, overlapTokens: 0 },
      tools,
    );
    expect(passages.map((passage) => [passage.kind, passage.section, passage.text])).toEqual([
      ['text', 'NAME', 'tool-send - copy parcels to a depot'],
      [
        'text',
        'DESCRIPTION',
        'tool send copies parcels to a depot. A parcel counts as sent only after the depot has confirmed it.',
      ],
      [
        'entry',
        'OPTIONS › --retries=N, -r N; --all',
        '--retries=N, -r N Try each piece up to N more times after a failed attempt before giving up on it. The default is 5. Setting N to 0 turns retrying off.\n--all Send to every depot in turn, not only to the default one.',
      ],
      ['entry', 'EXIT STATUS › 0; 7', '0 Every parcel is now at the depot.\n7 Some pieces could not be sent.'],
    ]);
    expect(new Set(passages.map((passage) => passage.title))).toEqual(new Set(['tool-send(1)']));
    expect(passages.map((passage) => passage.id)).toEqual(passages.map((_, index) => `tool-send.txt#${index + 1}`));
  });

  it('never splits an entry or a paragraph to pack it, and starts a new passage past maxTokens', () => {
    const passages = chunkByStructure(
      { source: 'tool-send.txt', text: manPage },
      { maxTokens: 24, overlapTokens: 0 },
      tools,
    );
    const options = passages.filter((passage) => passage.section?.startsWith('OPTIONS'));
    expect(options.map((passage) => passage.section)).toEqual(['OPTIONS › --retries=N, -r N', 'OPTIONS › --all']);
    expect(options[0]?.text).toMatch(/^--retries=N, -r N Try each piece .* turns retrying off\.$/);
    expect(options[0]?.tokens).toBeGreaterThan(24);
    expect(passages.find((passage) => passage.section === 'DESCRIPTION')?.text).toBe(
      'tool send copies parcels to a depot. A parcel counts as sent only after the depot has confirmed it.',
    );
  });

  it('carries the Markdown title and headings, packs paragraphs and never cuts a sentence', () => {
    const long = Array.from(
      { length: 12 },
      (_, index) => `Sentence ${index + 1} of the long paragraph says one thing.`,
    );
    const text = `# Offline mode\n\nOffline mode works on desktop.\n\nIt keeps pages for 30 days.\n\n## Limits\n\n${long.join(' ')}\n`;
    const passages = chunkByStructure({ source: 'offline.md', text }, { maxTokens: 40, overlapTokens: 0 }, tools);
    expect(passages[0]).toMatchObject({
      title: 'Offline mode',
      text: 'Offline mode works on desktop.\nIt keeps pages for 30 days.',
    });
    expect(passages[0]?.section).toBeUndefined();
    const limits = passages.filter((passage) => passage.section === 'Limits');
    expect(limits.length).toBeGreaterThan(1);
    for (const passage of limits) expect(passage.text).toMatch(/^Sentence \d+ .*one thing\.$/);
    expect(limits.map((passage) => passage.text).join(' ')).toBe(long.join(' '));
  });

  it('keeps an option whole when a blank line parts it from its description and its lines (help2man pages)', () => {
    const text = [
      'WAIT(1)                          User Commands                         WAIT(1)',
      '',
      'DESCRIPTION',
      '       Run COMMAND and stop it after DURATION.',
      '',
      '       --keep-status',
      '',
      '              end with the status of COMMAND, even when the',
      '',
      '              command was stopped',
      '',
      '       -q, --quiet',
      '',
      '              print nothing',
      '',
      'tools 2.0                        March 2025                            WAIT(1)',
    ].join('\n');
    const passages = chunkByStructure({ source: 'wait.txt', text }, { maxTokens: 200, overlapTokens: 0 }, tools);
    expect(passages.map((passage) => [passage.kind, passage.section, passage.text])).toEqual([
      ['text', 'DESCRIPTION', 'Run COMMAND and stop it after DURATION.'],
      [
        'entry',
        'DESCRIPTION › --keep-status; -q, --quiet',
        '--keep-status end with the status of COMMAND, even when the command was stopped\n-q, --quiet print nothing',
      ],
    ]);
  });

  it('reads underlined and all-capital headings of plain text, and names an untitled text after its file', () => {
    const text = 'Setup\n=====\n\nInstall the tool first.\n\nUSAGE\n\nRun it daily.\n';
    const passages = chunkByStructure({ source: 'docs/guide.txt', text }, { maxTokens: 100, overlapTokens: 0 }, tools);
    expect(passages.map((passage) => [passage.title, passage.section, passage.text])).toEqual([
      ['guide', 'Setup', 'Install the tool first.'],
      ['guide', 'Setup › USAGE', 'Run it daily.'],
    ]);
  });
});
