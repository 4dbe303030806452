import type { TerminationSpec } from '@llmops/kernel';

/** A message of an agent run as termination conditions see it: the task, or one agent's turn. */
export interface RunMessage {
  /** `user` for the task, else the agent's name. */
  source: string;
  content: string;
  /** The target of a handoff, when the turn ended with one. */
  handoffTo?: string;
}

/** What a run has done so far, given to the conditions after each message. */
export interface RunProgress {
  /** Messages so far: the task counts one, each agent turn one (tool calls and results are not messages). */
  messages: number;
  /** Prompt plus completion tokens of every model call so far. */
  tokens: number;
  elapsedMs: number;
  /** The newest message. */
  last: RunMessage;
}

/** The conditions, AutoGen's, by the names the trace and the response use. */
export type TerminationConditionName =
  'max_messages' | 'text_mention' | 'token_budget' | 'timeout' | 'handoff' | 'max_turns';

/** Why a run ended: the condition(s) and AutoGen's kind of sentence. */
export interface TerminationReason {
  conditions: TerminationConditionName[];
  message: string;
}

interface Condition {
  name: TerminationConditionName;
  /** The sentence when met, else undefined. */
  check(progress: RunProgress): string | undefined;
}

function conditionsOf(spec: TerminationSpec): Condition[] {
  const conditions: Condition[] = [];
  const { maxMessages, textMention, tokenBudget, timeoutMs, handoff } = spec;
  if (maxMessages !== undefined) {
    conditions.push({
      name: 'max_messages',
      check: ({ messages }) =>
        messages >= maxMessages
          ? `maximum number of messages ${maxMessages} reached, current message count: ${messages}`
          : undefined,
    });
  }
  if (textMention !== undefined) {
    conditions.push({
      name: 'text_mention',
      check: ({ last }) =>
        last.source !== 'user' && last.content.includes(textMention) ? `text '${textMention}' mentioned` : undefined,
    });
  }
  if (tokenBudget !== undefined) {
    conditions.push({
      name: 'token_budget',
      check: ({ tokens }) =>
        tokens >= tokenBudget ? `token usage limit reached: ${tokens} tokens of a budget of ${tokenBudget}` : undefined,
    });
  }
  if (timeoutMs !== undefined) {
    conditions.push({
      name: 'timeout',
      check: ({ elapsedMs }) => (elapsedMs >= timeoutMs ? `timeout of ${timeoutMs} ms reached` : undefined),
    });
  }
  if (handoff !== undefined) {
    conditions.push({
      name: 'handoff',
      check: ({ last }) =>
        last.handoffTo === handoff ? `handoff to ${handoff} from ${last.source} detected` : undefined,
    });
  }
  return conditions;
}

/**
 * The termination conditions of one run (AutoGen's MaxMessage, TextMention, TokenUsage, Timeout and
 * Handoff terminations), combined with `any` (OR) or `all` (AND). Checked after every message; a
 * condition once met stays met, as AutoGen's do, so `all` ends the run when the last of them is met.
 */
export class TerminationCheck {
  private readonly conditions: Condition[];
  private readonly combine: TerminationSpec['combine'];
  private readonly met = new Map<TerminationConditionName, string>();

  constructor(spec: TerminationSpec) {
    this.conditions = conditionsOf(spec);
    this.combine = spec.combine;
  }

  /** Whether the spec has any condition (a team without one ends only at its `maxTurns`). */
  get empty(): boolean {
    return this.conditions.length === 0;
  }

  /** Records the progress after a message; returns why the run ends, or undefined to go on. */
  check(progress: RunProgress): TerminationReason | undefined {
    for (const condition of this.conditions) {
      if (this.met.has(condition.name)) continue;
      const sentence = condition.check(progress);
      if (sentence !== undefined) this.met.set(condition.name, sentence);
    }
    const done =
      this.combine === 'any'
        ? this.met.size > 0
        : this.conditions.length > 0 && this.met.size === this.conditions.length;
    if (!done) return undefined;
    return { conditions: [...this.met.keys()], message: [...this.met.values()].join('; ') };
  }
}
