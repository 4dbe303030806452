import { questionTerms, scoreUnits } from './unit-support.js';

describe('scoreUnits', () => {
  it('ranks first the unit of the document whose title names the question subject', () => {
    const terms = questionTerms('How many buckets does tidepool sweep keep?');
    const [fill, sweep] = scoreUnits(terms, [
      { text: 'Keep the N newest buckets.', location: 'OPTIONS --keep=N', title: 'tidepool-fill(1)' },
      { text: 'Keep the N newest buckets.', location: 'OPTIONS --keep=N', title: 'tidepool-sweep(1)' },
    ]);
    expect(sweep?.rank).toBeGreaterThan(fill?.rank ?? Infinity);
    // The title names the subject; it does not make the unit itself hold more of the question.
    expect(sweep?.ownSupport).toBe(fill?.ownSupport);
  });

  it('meets a question word through a documentation synonym, for less than the word itself', () => {
    const terms = questionTerms('Which folder holds the pond journal?');
    const [synonym, same, unrelated] = scoreUnits(terms, [
      { text: 'The pond journal lives in the directory .tidepool/journal.', location: '', title: 'tidepool' },
      { text: 'The pond journal lives in the folder .tidepool/journal.', location: '', title: 'tidepool' },
      { text: 'Buckets are swept nightly.', location: '', title: 'tidepool' },
    ]);
    expect(synonym?.support).toBeGreaterThan(0.8 * (same?.support ?? 0));
    expect(synonym?.support).toBeLessThan(same?.support ?? 0);
    expect(unrelated?.support).toBe(0);
  });

  it('weighs question terms by the corpus IDF when given, whatever the context holds', () => {
    // One unit holds the rare terms; the question's other words are common in the corpus.
    const terms = questionTerms('Are sockets and device files included when I make a bale?');
    const units = [
      {
        text: 'Sockets, device files and named pipes are always skipped, with a note in the journal.',
        location: '',
        title: 'skerry-bale(1)',
      },
    ];
    const corpusIdf = (term: string) => (['socket', 'devic'].includes(term) ? 5 : 0.5);
    const [byUnits] = scoreUnits(terms, units);
    const [byCorpus] = scoreUnits(terms, units, { corpusIdf });
    const [mixed] = scoreUnits(terms, units, { corpusIdf, corpusShare: 0.5 });
    // Over one unit, a term it holds weighs little and one it lacks much.
    expect(byUnits?.support).toBeLessThan(0.4);
    expect(byCorpus?.support).toBeGreaterThan(0.7);
    expect(mixed?.support).toBeCloseTo(((byUnits?.support ?? 0) + (byCorpus?.support ?? 0)) / 2, 10);
  });
});
