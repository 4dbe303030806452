import type { RequestEvent } from '../domain/request-event.js';
import { seededRandom } from '../domain/drift/seeded-random.js';
import { requestEvent } from './request-events.js';

/** A kind of traffic: which questions users ask and how the model behaves on them. */
export interface TrafficProfile {
  subjects: readonly string[];
  asks: readonly string[];
  /** Mean latency in ms (uniform ± 40 %). */
  latencyMs: number;
  /** Mean input tokens (uniform ± 20 %). */
  inputTokens: number;
  /** Share of refused answers. */
  refusalRate: number;
  topRetrievalScore: number;
}

/** Short questions about a kettle's warranty and care, answered fast from the knowledge base. */
export const kettleTraffic: TrafficProfile = {
  subjects: ['the warranty', 'descaling', 'the heating element', 'the lid', 'the power cord', 'limescale'],
  asks: ['How long is {s} covered?', 'What do I do about {s}?', 'Is {s} covered?', 'Where do I find {s}?'],
  latencyMs: 120,
  inputTokens: 420,
  refusalRate: 0.05,
  topRetrievalScore: 0.72,
};

/** Longer questions on another topic (invoices and billing), slower, retrieved worse, refused more often. */
export const billingTraffic: TrafficProfile = {
  subjects: ['my invoice from March', 'a duplicate card charge', 'the annual plan refund', 'VAT on my receipt'],
  asks: [
    'Could you explain in detail why {s} shows a different amount than the one I agreed to on the phone?',
    'I have been waiting for two weeks for an answer about {s}; who in the billing team can sort this out?',
  ],
  latencyMs: 420,
  inputTokens: 900,
  refusalRate: 0.4,
  topRetrievalScore: 0.35,
};

/**
 * `count` events of a profile spread evenly over [from, to), deterministic for a seed, question text kept; the topic
 * is the subject's document, cited by every answer that did not refuse.
 */
export function trafficEvents(
  profile: TrafficProfile,
  options: { count: number; from: number; to: number; seed: number; modelVersion?: number },
): RequestEvent[] {
  const random = seededRandom(options.seed);
  const step = (options.to - options.from) / options.count;
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: options.count }, (_, index) => {
    const ask = pick(profile.asks);
    const subject = pick(profile.subjects);
    const question = ask.replace('{s}', subject);
    const refused = random() < profile.refusalRate;
    // The knowledge base has a document per subject: retrieval ranks it first, and an answer cites it.
    const topic = `${subject.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.md`;
    const event = requestEvent({
      at: Math.floor(options.from + index * step),
      requestId: `seed${options.seed}-${index}`,
      modelVersion: options.modelVersion ?? 3,
      latencyMs: profile.latencyMs * (0.6 + 0.8 * random()),
      inputTokens: Math.round(profile.inputTokens * (0.8 + 0.4 * random())),
      outputTokens: refused ? 12 : 40 + Math.floor(random() * 40),
      topRetrievalScore: profile.topRetrievalScore + 0.2 * (random() - 0.5),
      refused,
      question,
      topic,
      citedSources: refused ? [] : [topic],
    });
    // About four characters per token: the answer's length follows the tokens without another draw.
    return { ...event, answerLength: (event.outputTokens ?? 0) * 4 };
  });
}
