import { randomUUID } from 'node:crypto';
import { contentText, LlmopsError, systemClock } from '@llmops/kernel';
import type {
  CallOptions,
  ChatCompletion,
  ChatCompletionChunk,
  ChatMessage,
  ChatModel,
  ChatModelRequest,
  Clock,
  TeamSpec,
  TerminationSpec,
  Usage,
} from '@llmops/kernel';
import { lastMentioned, nextInOrder, speakerCandidates } from '../../domain/agents/speaker-order.js';
import type { Speaker } from '../../domain/agents/speaker-order.js';
import { TerminationCheck } from '../../domain/agents/termination.js';
import type { RunMessage, TerminationReason } from '../../domain/agents/termination.js';
import type { TraceRecorder } from '../trace-recorder.js';
import { withinSpan } from '../trace-recorder.js';
import type { AgentTurn, AssistantAgent, ToolCallReport } from './assistant-agent.js';

/** Call options of a model inside a pipeline: the kernel's, plus the request's trace recorder. */
export interface TracedCallOptions extends CallOptions {
  recorder?: TraceRecorder;
}

/** One turn as the `llmops.agent` extension reports it. */
export interface AgentStepReport {
  agent: string;
  content: string;
  handoff_to?: string;
  tool_calls: ToolCallReport[];
  usage: Usage;
}

/** The `llmops.agent` extension of an agent answer: the team, why the run ended, and each step. */
export interface AgentRunReport {
  team: 'single' | 'round_robin' | 'selector';
  termination: { conditions: string[]; message: string };
  /** Messages of the run: the request's non-system messages, then one per turn. */
  messages: number;
  /** Prompt plus completion tokens of every model call (selection included). */
  tokens: number;
  steps: AgentStepReport[];
}

/** What an {@link AgentTeam} is built from. */
export interface AgentTeamOptions {
  agents: readonly AssistantAgent[];
  /** Absent: the first agent answers in one turn. */
  team?: TeamSpec;
  termination: TerminationSpec;
  /** The version's chat model: its provider and model id name the team, and it selects speakers (`by: model`). */
  model: ChatModel;
  clock?: Clock;
}

const selectorPrompt = (roles: string, history: string, candidates: string) =>
  `You are in a role play game. The following roles are available:\n${roles}\n\nRead the following conversation. Then select the next role from [${candidates}] to play. Only return the role.\n\n${history}`;

function emptyUsage(): Usage {
  return { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
}

/**
 * A team of assistant agents (AutoGen's RoundRobinGroupChat and SelectorGroupChat) presented as a
 * {@link ChatModel}, so that a pipeline serves it like any model. The task is the request's
 * conversation; its system messages are the instructions of agents without their own. Agents take
 * turns (in order, or as selected: by the model from their names and descriptions, or by the name
 * mentioned last; a handoff to an agent makes it the next speaker) until a termination condition
 * is met or `maxTurns` turns were played; one agent without a team plays one turn. The answer is the
 * last agent message (without the termination text); the run's report is put in the trace's facts
 * (`llmops.agent`), with a span per turn and per tool call.
 */
export class AgentTeam implements ChatModel {
  readonly provider: string;
  readonly modelId: string;
  private readonly options: AgentTeamOptions;
  private readonly clock: Clock;

  constructor(options: AgentTeamOptions) {
    this.options = options;
    this.provider = options.model.provider;
    this.modelId = options.model.modelId;
    this.clock = options.clock ?? systemClock;
  }

  async generate(request: ChatModelRequest, options: TracedCallOptions = {}): Promise<ChatCompletion> {
    const { content, usage } = await this.run(request, options);
    return {
      id: `chatcmpl-agent-${randomUUID().replace(/-/g, '')}`,
      object: 'chat.completion',
      created: Math.floor(this.clock.now() / 1000),
      model: `${this.provider}/${this.modelId}`,
      choices: [
        { index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null },
      ],
      usage,
    };
  }

  /** Runs the whole team, then streams its answer (agents' intermediate messages are not streamed). */
  async *stream(request: ChatModelRequest, options: TracedCallOptions = {}): AsyncIterable<ChatCompletionChunk> {
    const completion = await this.generate(request, options);
    const base = {
      id: completion.id,
      object: 'chat.completion.chunk' as const,
      created: completion.created,
      model: completion.model,
    };
    const content = completion.choices[0]?.message.content ?? '';
    yield {
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null }],
    };
    if (content !== '')
      yield { ...base, choices: [{ index: 0, delta: { content }, finish_reason: null, logprobs: null }] };
    yield { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop', logprobs: null }] };
    yield { ...base, choices: [], usage: completion.usage ?? null };
  }

  private async run(request: ChatModelRequest, options: TracedCallOptions): Promise<{ content: string; usage: Usage }> {
    const { agents, team, termination } = this.options;
    const recorder = options.recorder;
    const runSpan = recorder?.start('agent_run');
    const startedAt = this.clock.monotonic();
    const {
      messages: requestMessages,
      tools: _tools,
      tool_choice: _choice,
      parallel_tool_calls: _parallel,
      ...params
    } = request;
    const instructions = requestMessages
      .filter((message) => message.role === 'system' || message.role === 'developer')
      .map((message) => contentText(message.content))
      .join('\n\n');
    const task = requestMessages.filter((message) => message.role !== 'system' && message.role !== 'developer');
    const steps: AgentTurn[] = [];
    const usage = emptyUsage();
    const check = new TerminationCheck(termination);
    const maxTurns = team?.maxTurns ?? 1;
    const deadline = termination.timeoutMs === undefined ? undefined : AbortSignal.timeout(termination.timeoutMs);
    const signals = [...(options.signal ? [options.signal] : []), ...(deadline ? [deadline] : [])];
    const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
    const progress = (last: RunMessage) => ({
      messages: task.length + steps.length,
      tokens: usage.total_tokens,
      elapsedMs: this.clock.monotonic() - startedAt,
      last,
    });
    const lastTask = task[task.length - 1];
    let reason: TerminationReason | undefined = check.check(
      progress({ source: 'user', content: contentText(lastTask?.content ?? '') }),
    );
    let failed = true;
    try {
      while (!reason) {
        if (steps.length >= maxTurns) {
          reason = { conditions: ['max_turns'], message: `maximum number of turns ${maxTurns} reached` };
          break;
        }
        const speaker = await withinSpan(runSpan, () =>
          this.nextSpeaker({ steps, task, usage, ...(signal ? { signal } : {}) }),
        );
        const agent = agents.find((candidate) => candidate.name === speaker.name) as AssistantAgent;
        const turnSpan = withinSpan(runSpan, () => recorder?.start('agent_turn'));
        let turn: AgentTurn;
        try {
          turn = await withinSpan(turnSpan, () =>
            agent.turn({
              instructions: instructions === '' ? undefined : instructions,
              thread: this.thread(task, steps),
              params,
              ...(signal ? { signal } : {}),
              ...(recorder ? { recorder } : {}),
            }),
          );
        } catch (error) {
          turnSpan?.end({ agent: agent.name, 'error.code': LlmopsError.fromUnknown(error).code }, 'error');
          if (deadline?.aborted && !options.signal?.aborted && steps.length > 0) {
            reason = {
              conditions: ['timeout'],
              message: `timeout of ${termination.timeoutMs} ms reached during a turn of ${agent.name}`,
            };
            break;
          }
          if (deadline?.aborted && !options.signal?.aborted) {
            throw new LlmopsError(
              'timeout',
              `the agent run took longer than termination.timeoutMs (${termination.timeoutMs} ms) before any agent answered`,
              { cause: error },
            );
          }
          throw error;
        }
        steps.push(turn);
        usage.prompt_tokens += turn.usage.prompt_tokens;
        usage.completion_tokens += turn.usage.completion_tokens;
        usage.total_tokens += turn.usage.total_tokens;
        turnSpan?.end({
          agent: turn.agent,
          tool_calls: turn.toolCalls.length,
          model_calls: turn.modelCalls,
          'usage.total_tokens': turn.usage.total_tokens,
          ...(turn.handoffTo ? { handoff_to: turn.handoffTo } : {}),
        });
        reason = check.check(
          progress({
            source: turn.agent,
            content: turn.content,
            ...(turn.handoffTo ? { handoffTo: turn.handoffTo } : {}),
          }),
        );
      }
      failed = false;
    } finally {
      const attributes = {
        team: team?.kind ?? 'single',
        turns: steps.length,
        messages: task.length + steps.length,
        'usage.total_tokens': usage.total_tokens,
        ...(reason
          ? { 'termination.conditions': reason.conditions.join(','), 'termination.message': reason.message }
          : {}),
      };
      runSpan?.end(attributes, failed ? 'error' : 'ok');
    }
    const report: AgentRunReport = {
      team: team?.kind ?? 'single',
      termination: reason as TerminationReason,
      messages: task.length + steps.length,
      tokens: usage.total_tokens,
      steps: steps.map((step) => ({
        agent: step.agent,
        content: step.content,
        ...(step.handoffTo ? { handoff_to: step.handoffTo } : {}),
        tool_calls: step.toolCalls,
        usage: step.usage,
      })),
    };
    if (recorder) recorder.facts.agent = report;
    return { content: this.answer(steps), usage };
  }

  /** The answer: the last agent message with the termination text taken out (the one before when nothing is left). */
  private answer(steps: readonly AgentTurn[]): string {
    const mention = this.options.termination.textMention;
    for (const step of [...steps].reverse()) {
      const text = (mention ? step.content.split(mention).join('') : step.content).trim();
      if (text !== '' && step.handoffTo === undefined) return text;
    }
    const last = steps[steps.length - 1];
    return last ? (mention ? last.content.split(mention).join('') : last.content).trim() : '';
  }

  /** The conversation as every agent sees it: the task, then each turn's message as an assistant message with the agent's name. */
  private thread(task: readonly ChatMessage[], steps: readonly AgentTurn[]): ChatMessage[] {
    return [...task, ...steps.map((step) => ({ role: 'assistant' as const, name: step.agent, content: step.content }))];
  }

  private async nextSpeaker(state: {
    steps: readonly AgentTurn[];
    task: readonly ChatMessage[];
    usage: Usage;
    signal?: AbortSignal;
  }): Promise<Speaker> {
    const speakers: Speaker[] = this.options.agents.map((agent) => ({
      name: agent.name,
      description: agent.description,
    }));
    const last = state.steps[state.steps.length - 1];
    const handoff =
      last?.handoffTo === undefined ? undefined : speakers.find((speaker) => speaker.name === last.handoffTo);
    if (handoff) return handoff;
    const team = this.options.team;
    if (!team || team.kind === 'round_robin' || !last) return nextInOrder(speakers, last?.agent);
    const candidates = speakerCandidates(speakers, last.agent, team.allowRepeatedSpeaker);
    if (team.by === 'model') {
      const selected = await this.selectByModel(candidates, state);
      if (selected) return selected;
    }
    return lastMentioned(last.content, candidates) ?? nextInOrder(candidates, undefined);
  }

  /** Asks the version's model to pick the next speaker; undefined when its reply names no candidate. */
  private async selectByModel(
    candidates: readonly Speaker[],
    state: { steps: readonly AgentTurn[]; task: readonly ChatMessage[]; usage: Usage; signal?: AbortSignal },
  ): Promise<Speaker | undefined> {
    const roles = this.options.agents.map((agent) => `${agent.name}: ${agent.description}`).join('\n');
    const history = [
      ...state.task.map((message) => `${message.role}: ${contentText(message.content ?? '')}`),
      ...state.steps.map((step) => `${step.agent}: ${step.content}`),
    ].join('\n');
    const prompt = selectorPrompt(roles, history, candidates.map((candidate) => candidate.name).join(', '));
    const completion = await this.options.model.generate(
      { messages: [{ role: 'user', content: prompt }], temperature: 0 },
      state.signal ? { signal: state.signal } : {},
    );
    if (completion.usage) {
      state.usage.prompt_tokens += completion.usage.prompt_tokens;
      state.usage.completion_tokens += completion.usage.completion_tokens;
      state.usage.total_tokens += completion.usage.total_tokens;
    }
    return lastMentioned(completion.choices[0]?.message.content ?? '', candidates);
  }
}
