import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { systemClock } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';
import type { JudgeCache } from '../../ports.js';

/** The judge cache in the evaluation tables of a SQLite database (see `openEvaluationDatabase`). */
export class SqliteJudgeCache implements JudgeCache {
  private readonly select: StatementSync;
  private readonly insert: StatementSync;

  constructor(
    database: DatabaseSync,
    private readonly clock: Clock = systemClock,
  ) {
    this.select = database.prepare('SELECT answer FROM evaluation_judge_cache WHERE key = ?');
    this.insert = database.prepare(
      'INSERT OR REPLACE INTO evaluation_judge_cache (key, answer, created_at) VALUES (?, ?, ?)',
    );
  }

  async get(key: string): Promise<unknown | undefined> {
    const row = this.select.get(key) as { answer: string } | undefined;
    return row === undefined ? undefined : JSON.parse(row.answer);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.insert.run(key, JSON.stringify(value), this.clock.now());
  }
}
