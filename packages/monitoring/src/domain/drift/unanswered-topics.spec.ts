import { requestEvent } from '../../__fixtures__/request-events.js';
import type { RequestEvent } from '../request-event.js';
import { findUnansweredTopics, twoProportionTest } from './unanswered-topics.js';

/** `count` events on `topic`, the first `refused` of them refused. */
function topicEvents(topic: string, count: number, refused: number): RequestEvent[] {
  return Array.from({ length: count }, (_, index) =>
    requestEvent({ requestId: `${topic}-${index}`, topic, refused: index < refused }),
  );
}

describe('the pooled two-proportion z-test (hand-computed values)', () => {
  it.each([
    // pooled 13/52 = 0.25; se = sqrt(0.25 · 0.75 · (1/12 + 1/40)) = 0.142522; z = (0.75 − 0.1) / se
    { current: [9, 12], reference: [4, 40], z: 4.560702, pValue: 2.549148e-6 },
    // pooled 8/30; se = sqrt(8/30 · 22/30 · (1/10 + 1/20)) = 0.171270; z = (0.6 − 0.1) / se
    { current: [6, 10], reference: [2, 20], z: 2.919371, pValue: 1.753692e-3 },
    // pooled 0.4; se = sqrt(0.4 · 0.6 · 0.2) = 0.219089; z = 0.2 / se
    { current: [5, 10], reference: [3, 10], z: 0.912871, pValue: 0.180655 },
    // pooled 0.2; se = sqrt(0.2 · 0.8 · (1/10 + 1/30)) = 0.146059; z = 0.8 / se
    { current: [8, 10], reference: [0, 30], z: 5.477226, pValue: 2.160232e-8 },
  ])('$current against $reference: z $z, one-sided p $pValue', ({ current, reference, z, pValue }) => {
    const result = twoProportionTest(
      { refused: current[0] as number, events: current[1] as number },
      { refused: reference[0] as number, events: reference[1] as number },
    );
    expect(result.z).toBeCloseTo(z, 5);
    expect(result.pValue / pValue).toBeCloseTo(1, 5);
  });

  it('has nothing to test when every event or none refused, and a fall is not a rise', () => {
    expect(twoProportionTest({ refused: 0, events: 10 }, { refused: 0, events: 10 })).toEqual({ z: null, pValue: 1 });
    expect(twoProportionTest({ refused: 10, events: 10 }, { refused: 5, events: 5 })).toEqual({ z: null, pValue: 1 });
    expect(twoProportionTest({ refused: 3, events: 12 }, { refused: 9, events: 12 }).pValue).toBeGreaterThan(0.5);
  });
});

describe('finding unanswered topics', () => {
  it('flags a topic with enough events, a high refusal share and a significant rise; not the others', () => {
    const reference = [...topicEvents('warranty.md', 40, 4), ...topicEvents('support.md', 40, 4)];
    const current = [
      ...topicEvents('warranty.md', 12, 9), // 75 % against 10 %: unanswered
      ...topicEvents('support.md', 12, 5), // 42 %: below the 50 % share, whatever the test says
      ...topicEvents('billing.md', 9, 9), // 9 events: too few to judge
    ];
    const report = findUnansweredTopics(reference, current);
    expect(report.rule).toEqual({ minCurrentEvents: 10, minRefusalShare: 0.5, pValueThreshold: 0.05 });
    expect(report.examinedTopics).toBe(2);
    expect(report.topics).toHaveLength(1);
    expect(report.topics[0]).toMatchObject({
      topic: 'warranty.md',
      currentEvents: 12,
      currentRefused: 9,
      currentShare: 0.75,
      referenceEvents: 40,
      referenceRefused: 4,
      referenceShare: 0.1,
      basis: 'topic',
    });
    expect(report.topics[0]?.pValue).toBeCloseTo(2.549148e-6, 10);
  });

  it('does not flag a topic that was refused as often before (a share high on both sides is no rise)', () => {
    const report = findUnansweredTopics(topicEvents('legal.md', 20, 12), topicEvents('legal.md', 10, 6));
    expect(report.examinedTopics).toBe(1);
    expect(report.topics).toEqual([]);
  });

  it("compares a topic new in the current window with the reference window's topics together", () => {
    // Reference: 30 events, none refused; current: billing.md (new) 8 of 10 refused → z 5.477, p 2.16e-8.
    const report = findUnansweredTopics(topicEvents('warranty.md', 30, 0), topicEvents('billing.md', 10, 8));
    expect(report.topics).toEqual([
      expect.objectContaining({ topic: 'billing.md', basis: 'window', referenceEvents: 30, referenceShare: 0 }),
    ]);
    expect(report.topics[0]?.z).toBeCloseTo(5.477226, 5);
  });

  it('says why nothing was judged: no RAG traffic, too few events, no reference with a topic', () => {
    const chat = [requestEvent({ refused: true })];
    expect(findUnansweredTopics(chat, chat).reason).toMatch(/no current event has a topic/);
    expect(findUnansweredTopics([], topicEvents('a.md', 3, 3)).reason).toMatch(/no topic has 10 current events/);
    expect(findUnansweredTopics(chat, topicEvents('a.md', 10, 10)).reason).toMatch(/no reference event has a topic/);
    expect(findUnansweredTopics([], topicEvents('a.md', 4, 4), { minCurrentEvents: 4 }).topics).toEqual([]);
  });
});
