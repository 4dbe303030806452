import { hashedNgramFeatures, words } from './hashed-ngram-features.js';
import { seededRandom } from './seeded-random.js';
import { textDomainClassifierTest } from './text-domain-classifier.js';

const billing = ['refund', 'invoice', 'payment', 'charge', 'card', 'receipt', 'subscription', 'price', 'billing'];
const accounts = ['password', 'login', 'account', 'email', 'username', 'reset', 'locked', 'profile', 'signin'];
const common = ['how', 'do', 'i', 'my', 'the', 'a', 'can', 'why', 'is', 'get', 'change', 'when', 'where'];

/** Question-like texts mixing common words with words of the given topics. */
function questions(options: { count: number; topics: string[][]; seed: number }): string[] {
  const random = seededRandom(options.seed);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
  return Array.from({ length: options.count }, () => {
    const topic = pick(options.topics);
    return [pick(common), pick(common), pick(topic), pick(common), pick(topic), pick(topic)].join(' ') + '?';
  });
}

describe('hashedNgramFeatures', () => {
  it('splits words in any script, lower-cased', () => {
    expect(words('Où est ma FACTURE? Order #42!')).toEqual(['où', 'est', 'ma', 'facture', 'order', '42']);
  });

  it('gives a unit vector with one feature per distinct word and word pair', () => {
    const vector = hashedNgramFeatures('reset my password reset my password', { dimensions: 1 << 20 });
    // words: reset, my, password; pairs: "reset my", "my password", "password reset"
    expect(vector.indices.length).toBe(6);
    expect(Math.hypot(...vector.values)).toBeCloseTo(1, 12);
  });
});

describe('textDomainClassifierTest', () => {
  it('finds no drift between two samples of the same questions', () => {
    const result = textDomainClassifierTest(
      questions({ count: 400, topics: [billing, accounts], seed: 1 }),
      questions({ count: 400, topics: [billing, accounts], seed: 2 }),
    );
    expect(result.drift).toBe(false);
    expect(result.thresholdRule).toBe('random_classifier_percentile');
    expect(result.auc).toBeLessThan(result.threshold);
    expect(result.testSize).toBe(400);
  });

  it('finds drift when the current questions move to another topic', () => {
    const result = textDomainClassifierTest(
      questions({ count: 400, topics: [billing], seed: 1 }),
      questions({ count: 400, topics: [accounts], seed: 2 }),
    );
    expect(result.drift).toBe(true);
    expect(result.auc).toBeGreaterThan(0.95);
  });

  it('uses the fixed 0.55 threshold above 1000 reference texts and finds a partial shift', () => {
    const result = textDomainClassifierTest(
      questions({ count: 1200, topics: [billing, accounts], seed: 3 }),
      questions({ count: 1200, topics: [billing, accounts, accounts, accounts], seed: 4 }),
    );
    expect(result.thresholdRule).toBe('fixed');
    expect(result.threshold).toBe(0.55);
    expect(result.drift).toBe(true);
  });

  it('gives the same AUC on every run with the same seed', () => {
    const reference = questions({ count: 100, topics: [billing, accounts], seed: 5 });
    const current = questions({ count: 100, topics: [billing], seed: 6 });
    expect(textDomainClassifierTest(reference, current)).toEqual(textDomainClassifierTest(reference, current));
  });

  it('refuses samples too small to split', () => {
    expect(() => textDomainClassifierTest(['one'], ['two', 'three'])).toThrow(RangeError);
  });
});
