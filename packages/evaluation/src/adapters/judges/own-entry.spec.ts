import { narrowToOwnEntries } from './own-entry.js';

describe('narrowToOwnEntries', () => {
  const packed = 'kettle-brew › OPTIONS › --steep=MINUTES; --tea=KIND, -t KIND';

  it('gives each statement of a packed passage the entry its text begins with, and the sentences after it the same entry', () => {
    const narrowed = narrowToOwnEntries([
      { location: packed, text: 'Options of the brew command.' },
      { location: packed, text: '--steep=MINUTES Steep for MINUTES.' },
      { location: packed, text: 'The default is 4.' },
      { location: packed, text: '--tea=KIND, -t KIND Brew this kind of tea.' },
      { location: packed, text: 'The default is green.' },
    ]);
    expect(narrowed.map((statement) => statement.location)).toEqual([
      'kettle-brew › OPTIONS',
      'kettle-brew › OPTIONS › --steep=MINUTES',
      'kettle-brew › OPTIONS › --steep=MINUTES',
      'kettle-brew › OPTIONS › --tea=KIND, -t KIND',
      'kettle-brew › OPTIONS › --tea=KIND, -t KIND',
    ]);
  });

  it('prefers the longest listed term, and does not carry an entry into another passage', () => {
    const statuses = 'kettle-brew › EXIT STATUS › 1; 12';
    const narrowed = narrowToOwnEntries([
      { location: statuses, text: '12 The kettle is empty.' },
      { location: 'kettle-pour › EXIT STATUS › 1; 12', text: 'This happens when the spout is blocked.' },
    ]);
    expect(narrowed.map((statement) => statement.location)).toEqual([
      'kettle-brew › EXIT STATUS › 12',
      'kettle-pour › EXIT STATUS',
    ]);
  });

  it('leaves locations that do not pack entries, and statements without a location, as they are', () => {
    const statements = [
      { location: 'kettle-brew › OPTIONS › --steep=MINUTES', text: 'The default is 4.' },
      { location: 'Kettle care', text: 'Descale the kettle every month; use vinegar.' },
      { location: '', text: 'The default is 4.' },
    ];
    expect(narrowToOwnEntries(statements)).toEqual(statements);
  });
});
