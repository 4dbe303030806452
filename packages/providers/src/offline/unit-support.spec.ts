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
});
