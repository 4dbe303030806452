import type { JudgeAnswer, JudgeTask, JudgeTaskKind } from '../domain/judgement.js';
import type { Judge, JudgeCallOptions } from '../ports.js';

/** How a {@link ScriptedJudge} answers: one function per task kind it supports. */
export type JudgeScript = {
  [K in JudgeTaskKind]?: (task: Extract<JudgeTask, { kind: K }>) => JudgeAnswer<K> | Promise<JudgeAnswer<K>>;
};

/**
 * A judge for tests that answers with the given functions and records every task it is asked
 * (`calls`), so tests can count judge calls and check what the metrics asked.
 */
export class ScriptedJudge implements Judge {
  readonly name: string;
  readonly fingerprint: string;
  /** Every task asked, in order. */
  readonly calls: JudgeTask[] = [];

  constructor(
    private readonly script: JudgeScript,
    options: { name?: string; fingerprint?: string } = {},
  ) {
    this.name = options.name ?? 'scripted';
    this.fingerprint = options.fingerprint ?? this.name;
  }

  async judge<K extends JudgeTaskKind>(
    task: Extract<JudgeTask, { kind: K }>,
    options: JudgeCallOptions = {},
  ): Promise<JudgeAnswer<K>> {
    if (options.signal?.aborted) throw options.signal.reason;
    this.calls.push(task);
    const answer = this.script[task.kind] as
      ((value: typeof task) => JudgeAnswer<K> | Promise<JudgeAnswer<K>>) | undefined;
    if (!answer) throw new Error(`ScriptedJudge has no answer for ${task.kind} tasks`);
    return answer(task);
  }
}
