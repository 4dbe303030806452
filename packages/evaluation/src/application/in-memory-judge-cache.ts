import type { JudgeCache } from '../ports.js';

/** A judge cache in memory, for one process (tests, benchmarks, the API between runs). */
export class InMemoryJudgeCache implements JudgeCache {
  private readonly answers = new Map<string, string>();

  /** Entries stored. */
  get size(): number {
    return this.answers.size;
  }

  async get(key: string): Promise<unknown | undefined> {
    const text = this.answers.get(key);
    return text === undefined ? undefined : JSON.parse(text);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.answers.set(key, JSON.stringify(value));
  }
}
