import { cosineSimilarity } from '@llmops/providers';

/** A cached single-turn question: its embedding and the exact key its answer is stored under. */
interface IndexedQuestion {
  vector: number[];
  key: string;
  expiresAt: number;
}

/** The closest cached question at or above the threshold. */
export interface SemanticMatch {
  /** The exact key of the cached answer. */
  key: string;
  similarity: number;
}

/**
 * The questions of cached single-turn answers, by their context (everything of the request but the question): a new
 * question is compared with those of the same context only, so a match never crosses models, namespaces, system
 * prompts or parameters. Kept in this process (bounded, oldest dropped first); the answers it points to are in the
 * cache's store, shared or not.
 */
export class SemanticCacheIndex {
  private readonly byContext = new Map<string, IndexedQuestion[]>();
  /** Contexts in the order their questions were added, one entry per question, for eviction. */
  private readonly order: string[] = [];
  private readonly maxEntries: number;

  constructor(options: { maxEntries?: number } = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** The most similar unexpired question of the context with a cosine ≥ `threshold`, or `undefined`. */
  nearest(
    contextKey: string,
    vector: readonly number[],
    options: { threshold: number; now: number },
  ): SemanticMatch | undefined {
    let best: SemanticMatch | undefined;
    for (const question of this.byContext.get(contextKey) ?? []) {
      if (question.expiresAt <= options.now) continue;
      const similarity = cosineSimilarity(vector, question.vector);
      if (similarity >= options.threshold && (!best || similarity > best.similarity))
        best = { key: question.key, similarity };
    }
    return best;
  }

  /** Adds (or renews) the question of an answer stored under `key`. */
  add(contextKey: string, question: IndexedQuestion): void {
    const questions = this.byContext.get(contextKey) ?? [];
    const known = questions.findIndex((candidate) => candidate.key === question.key);
    if (known !== -1) {
      questions[known] = question;
      return;
    }
    questions.push(question);
    this.byContext.set(contextKey, questions);
    this.order.push(contextKey);
    while (this.order.length > this.maxEntries) {
      const oldestContext = this.order.shift() as string;
      const oldest = this.byContext.get(oldestContext);
      oldest?.shift();
      if (oldest && oldest.length === 0) this.byContext.delete(oldestContext);
    }
  }

  /** Questions held. */
  get size(): number {
    return this.order.length;
  }
}
