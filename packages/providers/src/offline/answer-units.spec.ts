import { looksLikeSynopsis, splitAnswerUnits, unquotableSection } from './answer-units.js';

describe('splitAnswerUnits', () => {
  it('drops header and footer lines, keeps headings as locations and offers short entries whole', () => {
    const text =
      'GULL-FEED(1) Gull Manual GULL-FEED(1) NAME gull-feed - feed the gulls SYNOPSIS gull feed [--crumbs=N] ' +
      'DESCRIPTION gull feed throws crumbs. It never throws stones. OPTIONS --crumbs=N, -c N Throw N crumbs. ' +
      'The default is 3. --loud Shout first. EXIT STATUS 0 Fed. 4 No gulls came. gull 1.0 2025-01-01 GULL-FEED(1)';
    const units = splitAnswerUnits(text);
    expect(units.map((unit) => [unit.kind, unit.location, unit.quotable, unit.text])).toEqual([
      ['sentence', 'NAME', false, 'gull-feed - feed the gulls'],
      ['sentence', 'SYNOPSIS', false, 'gull feed [--crumbs=N]'],
      ['sentence', 'DESCRIPTION', true, 'gull feed throws crumbs.'],
      ['sentence', 'DESCRIPTION', true, 'It never throws stones.'],
      ['entry', 'OPTIONS', true, '--crumbs=N, -c N Throw N crumbs. The default is 3.'],
      ['entry', 'OPTIONS', true, '--loud Shout first.'],
      ['entry', 'EXIT STATUS', true, '0 Fed.'],
      ['entry', 'EXIT STATUS', true, '4 No gulls came.'],
    ]);
  });

  it('leaves prose alone: acronyms, numbers and abbreviations do not start headings, entries or sentences', () => {
    const units = splitAnswerUnits(
      'SAML sign-in is set up by an admin, e.g. the workspace owner. 14 days after that, the old password stops working.',
    );
    expect(units.map((unit) => [unit.kind, unit.location, unit.text])).toEqual([
      ['sentence', '', 'SAML sign-in is set up by an admin, e.g. the workspace owner.'],
      ['sentence', '', '14 days after that, the old password stops working.'],
    ]);
  });

  it('offers a long entry sentence by sentence, with its term as location', () => {
    const description = Array.from({ length: 15 }, (_, index) => `Sentence ${index + 1} says one more thing here.`);
    const units = splitAnswerUnits(`OPTIONS --tide=HOURS ${description.join(' ')}`);
    expect(units).toHaveLength(15);
    expect(units[0]).toMatchObject({ kind: 'sentence', location: 'OPTIONS --tide=HOURS', entry: 1 });
    expect(units[0]?.text).toBe('--tide=HOURS Sentence 1 says one more thing here.');
    expect(units[14]?.text).toBe('Sentence 15 says one more thing here.');
  });
});

describe('what is never quoted', () => {
  it('knows NAME, SYNOPSIS and SEE ALSO section paths, whatever follows them', () => {
    expect(unquotableSection('SYNOPSIS')).toBe(true);
    expect(unquotableSection('SEE ALSO › grep(1)')).toBe(true);
    expect(unquotableSection('OPTIONS › --keep=N')).toBe(false);
    expect(unquotableSection('')).toBe(false);
  });

  it('knows a usage line by its bracketed optional arguments, and offers it as not quotable', () => {
    expect(looksLikeSynopsis('scp [-346ABC] [-c cipher] [-l limit] source target')).toBe(true);
    expect(looksLikeSynopsis('--keep=N Leave the N newest buckets [see --list] in place.')).toBe(false);
    const [unit] = splitAnswerUnits('tidepool sweep [--max-age=DAYS] [--keep=N] [--dry-run] POND');
    expect(unit?.quotable).toBe(false);
  });
});
