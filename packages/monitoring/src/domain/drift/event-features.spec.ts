import { requestEvent } from '../../__fixtures__/request-events.js';
import type { RequestEvent } from '../request-event.js';
import { buildDriftReport } from './drift-report.js';
import { eventDriftFeatures, inputDriftFeatures } from './event-features.js';

/** `count` events of a RAG model with this topic and these cited sources. */
function rag(count: number, topic: string, citedSources: string[]): RequestEvent[] {
  return Array.from({ length: count }, (_, index) =>
    requestEvent({ requestId: `${topic}-${index}`, topic, citedSources }),
  );
}

/** `count` events of a chat model: no retrieval, so neither a topic nor cited sources. */
function chat(count: number): RequestEvent[] {
  return Array.from({ length: count }, (_, index) =>
    requestEvent({ requestId: `chat-${index}`, modelName: 'support-chat', citations: undefined }),
  );
}

function sample(features: ReturnType<typeof eventDriftFeatures>, name: string) {
  const feature = features.features.find((candidate) => candidate.name === name);
  return feature ? { reference: [...feature.reference].sort(), current: [...feature.current].sort() } : undefined;
}

describe('the topic and cited_source drift features', () => {
  it.each([
    {
      case: 'one observation per event for topic; chat events are no observation',
      reference: [...rag(2, 'a.md', ['a.md']), ...chat(3)],
      current: [...rag(1, 'b.md', [])],
      topic: { reference: ['a.md', 'a.md'], current: ['b.md'] },
      citedSource: { reference: ['a.md', 'a.md'], current: ['none'] },
    },
    {
      case: 'each cited source once per event; an uncited RAG answer counts as none',
      reference: [...rag(1, 'a.md', ['a.md', 'b.md'])],
      current: [...rag(2, 'a.md', ['a.md', 'c.md']), ...rag(1, 'c.md', [])],
      topic: { reference: ['a.md'], current: ['a.md', 'a.md', 'c.md'] },
      citedSource: { reference: ['a.md', 'b.md'], current: ['a.md', 'a.md', 'c.md', 'c.md', 'none'] },
    },
  ])('$case', ({ reference, current, topic, citedSource }) => {
    const features = eventDriftFeatures(reference, current);
    expect(sample(features, 'topic')).toEqual(topic);
    expect(sample(features, 'cited_source')).toEqual(citedSource);
  });

  it('skips both, with the reason, when no event has retrieval (and a dataset reference never has them)', () => {
    const features = eventDriftFeatures(chat(2), chat(2));
    expect(features.skipped).toEqual(
      expect.arrayContaining([
        { name: 'topic', reason: expect.stringContaining('not a rag model') },
        { name: 'cited_source', reason: expect.stringContaining('not a rag model') },
      ]),
    );
    expect(inputDriftFeatures(['a question'], rag(1, 'a.md', [])).skipped.map((skip) => skip.name)).toEqual(
      expect.arrayContaining(['topic', 'cited_source']),
    );
  });

  it('tests a topic shift by chi-square: counts 20/10/0 against 5/10/15 give 24 on 2 dof, p = e^-12', () => {
    // Expected counts per side are half of each column (25, 20, 15): 12.5, 10, 7.5; each side adds
    // 7.5²/12.5 + 0 + 7.5²/7.5 = 4.5 + 7.5 = 12, so χ² = 24; with 2 dof the survival is exp(-χ²/2).
    const reference = [...rag(20, 'a.md', ['a.md']), ...rag(10, 'b.md', ['b.md'])];
    const current = [...rag(5, 'a.md', ['a.md']), ...rag(10, 'b.md', ['b.md']), ...rag(15, 'c.md', [])];
    const report = buildDriftReport(eventDriftFeatures(reference, current).features);
    const topic = report.features.find((feature) => feature.name === 'topic');
    expect(topic).toMatchObject({ method: 'chi_square', referenceSize: 30, currentSize: 30, verdict: 'drift' });
    expect(topic?.statistic).toBeCloseTo(24, 10);
    expect(topic?.pValue).toBeCloseTo(Math.exp(-12), 15);
  });

  it('tests cited sources counted once each: 30 answers citing a and b against 15 citing a and 15 citing nothing', () => {
    // Reference a 30, b 30, none 0 (60 values); current a 15, b 0, none 15 (30). Columns 45, 30, 15 of 90, so the
    // expected counts are 30, 20, 10 and 15, 10, 5: χ² = 0 + 5 + 10 + 0 + 10 + 20 = 45 on 2 dof, p = exp(-22.5).
    const reference = rag(30, 'a.md', ['a.md', 'b.md']);
    const current = [...rag(15, 'a.md', ['a.md']), ...rag(15, 'a.md', [])];
    const report = buildDriftReport(eventDriftFeatures(reference, current).features);
    const cited = report.features.find((feature) => feature.name === 'cited_source');
    expect(cited).toMatchObject({ method: 'chi_square', referenceSize: 60, currentSize: 30, verdict: 'drift' });
    expect(cited?.statistic).toBeCloseTo(45, 10);
    expect(cited?.pValue).toBeCloseTo(Math.exp(-22.5), 18);
    // The topic did not move (a.md on both sides): one category, statistic 0, p 1.
    expect(report.features.find((feature) => feature.name === 'topic')).toMatchObject({ statistic: 0, pValue: 1 });
  });
});
