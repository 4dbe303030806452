import { contentHash } from '../domain/canonical-json.js';
import type { JudgeStatistics } from '../domain/evaluation-run.js';
import type { JudgeAnswer, JudgeTask, JudgeTaskKind } from '../domain/judgement.js';
import type { Judge, JudgeCache, JudgeCallOptions } from '../ports.js';

/** The content address of a judge answer: SHA-256 of the judge's fingerprint and the task. */
export function judgeCacheKey(fingerprint: string, task: JudgeTask): string {
  return contentHash({ judge: fingerprint, task });
}

/**
 * A judge in front of another that answers from a content-addressed cache when it can, shares one
 * call between identical tasks asked at the same time, and counts calls, cache hits and errors
 * (the run summary shows them: a second identical run makes zero judge calls).
 */
export class CachingJudge implements Judge {
  private readonly counters: JudgeStatistics = { calls: 0, cacheHits: 0, errors: 0 };
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly inner: Judge,
    private readonly cache?: JudgeCache,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  get fingerprint(): string {
    return this.inner.fingerprint;
  }

  /** Calls made to the inner judge, answers served from the cache, and failed calls, so far. */
  get statistics(): JudgeStatistics {
    return { ...this.counters };
  }

  async judge<K extends JudgeTaskKind>(
    task: Extract<JudgeTask, { kind: K }>,
    options: JudgeCallOptions = {},
  ): Promise<JudgeAnswer<K>> {
    const key = judgeCacheKey(this.inner.fingerprint, task);
    const pending = this.inFlight.get(key);
    if (pending) {
      this.counters.cacheHits += 1;
      return (await pending) as JudgeAnswer<K>;
    }
    const answer = this.lookupOrCall(key, task, options);
    this.inFlight.set(key, answer);
    try {
      return await answer;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async lookupOrCall<K extends JudgeTaskKind>(
    key: string,
    task: Extract<JudgeTask, { kind: K }>,
    options: JudgeCallOptions,
  ): Promise<JudgeAnswer<K>> {
    const cached = this.cache ? await this.cache.get(key) : undefined;
    if (cached !== undefined) {
      this.counters.cacheHits += 1;
      return cached as JudgeAnswer<K>;
    }
    this.counters.calls += 1;
    try {
      const answer = await this.inner.judge(task, options);
      if (this.cache) await this.cache.set(key, answer);
      return answer;
    } catch (error) {
      this.counters.errors += 1;
      throw error;
    }
  }
}
