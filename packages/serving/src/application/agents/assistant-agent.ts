import { contentText, LlmopsError } from '@llmops/kernel';
import type { ChatMessage, ChatModel, ChatModelRequest, ToolCall, Usage } from '@llmops/kernel';
import { z } from 'zod';
import type { TraceRecorder } from '../trace-recorder.js';
import { modelRerankAttributes } from '../retrieval/passage-retriever.js';
import type { ModelRerankReport } from '../retrieval/passage-retriever.js';
import { functionTool, parseToolArguments } from './agent-tool.js';
import type { AgentTool } from './agent-tool.js';

/** A tool call of one turn, as the `llmops.agent` extension reports it. */
export interface ToolCallReport {
  id: string;
  name: string;
  arguments: string;
  /** What the model was given back (the tool's text, or the error). */
  result: string;
  error: boolean;
  /** Set when the tool output looked like an injected instruction: `withheld` (not given to the model) or `flagged`. */
  screened?: 'withheld' | 'flagged';
  /** A retrieval tool with a model reranker: what it did (`failed (<cause>)` when the lexical order was kept). */
  reranker?: ModelRerankReport;
}

/** One agent turn: its message (or handoff), its tool calls and the tokens it used. */
export interface AgentTurn {
  agent: string;
  content: string;
  handoffTo?: string;
  toolCalls: ToolCallReport[];
  usage: Usage;
  modelCalls: number;
}

/** Checks a tool's output before the model reads it (the policy's injection check); `withhold` replaces it with a notice. */
export type ToolOutputScreen = (text: string) => { action: 'pass' | 'flag' | 'withhold'; categories: string[] };

/** What an {@link AssistantAgent} is built from. */
export interface AssistantAgentOptions {
  name: string;
  description: string;
  /** Its system message; the pipeline's instructions when absent. */
  system?: string;
  model: ChatModel;
  tools: readonly AgentTool[];
  /** Targets of `transfer_to_<target>` tools. */
  handoffs: readonly string[];
  maxToolIterations: number;
  reflectOnToolUse: boolean;
  screen?: ToolOutputScreen;
}

/** What one turn is given: the conversation as this agent sees it, the run's request fields, and its trace. */
export interface AgentTurnInput {
  instructions: string | undefined;
  thread: ChatMessage[];
  /** Generation fields of the request (temperature, max_tokens…), passed to every model call. */
  params: Partial<ChatModelRequest>;
  signal?: AbortSignal;
  recorder?: TraceRecorder;
}

const handoffArguments = z.strictObject({});
const handoffPrefix = 'transfer_to_';

function addUsage(total: Usage, usage: Usage | undefined): void {
  if (!usage) return;
  total.prompt_tokens += usage.prompt_tokens;
  total.completion_tokens += usage.completion_tokens;
  total.total_tokens += usage.total_tokens;
}

/** A `transfer_to_<target>` tool: calling it ends the turn with a handoff. */
function handoffTool(target: string): AgentTool {
  const name = `${handoffPrefix}${target}`;
  const description = `Transfers the conversation to ${target}.`;
  return {
    name,
    kind: 'handoff',
    arguments: handoffArguments,
    definition: functionTool({ name, description, arguments: handoffArguments }),
    run: async () => `Transferred to ${target}, adopting the role of ${target} immediately.`,
  };
}

/**
 * An assistant agent (AutoGen's AssistantAgent): a system message, tools and handoffs over one chat
 * model. A turn is the tool loop: model → tool calls → tool results → model, up to
 * `maxToolIterations` rounds; then, with `reflectOnToolUse`, one more call without tools answers
 * from the results, else the results themselves are the answer. A `transfer_to_<target>` call ends
 * the turn as a handoff. Tool failures and bad arguments are given back to the model as results.
 */
export class AssistantAgent {
  readonly name: string;
  readonly description: string;
  private readonly options: AssistantAgentOptions;
  private readonly tools: Map<string, AgentTool>;

  constructor(options: AssistantAgentOptions) {
    this.options = options;
    this.name = options.name;
    this.description = options.description;
    this.tools = new Map(
      [...options.tools, ...options.handoffs.map((target) => handoffTool(target))].map((tool) => [tool.name, tool]),
    );
  }

  /** Plays one turn. @throws the model's errors (`timeout` when the run's deadline aborted it). */
  async turn(input: AgentTurnInput): Promise<AgentTurn> {
    const system = this.options.system ?? input.instructions;
    const messages: ChatMessage[] = [
      ...(system ? [{ role: 'system' as const, content: system }] : []),
      ...input.thread,
    ];
    const turn: AgentTurn = {
      agent: this.name,
      content: '',
      toolCalls: [],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      modelCalls: 0,
    };
    const definitions = [...this.tools.values()].map((tool) => tool.definition);
    for (let iteration = 0; iteration < this.options.maxToolIterations; iteration += 1) {
      const message = await this.call(turn, input, {
        messages,
        ...(definitions.length > 0 ? { tools: definitions } : {}),
      });
      const calls = message.tool_calls ?? [];
      if (calls.length === 0) {
        turn.content = contentText(message.content ?? '');
        return turn;
      }
      messages.push({ role: 'assistant', content: message.content ?? null, tool_calls: calls });
      const results: string[] = [];
      for (const call of calls) {
        const report = await this.execute(call, input);
        turn.toolCalls.push(report);
        results.push(report.result);
        messages.push({ role: 'tool', tool_call_id: call.id, content: report.result });
        const tool = this.tools.get(call.function.name);
        if (tool?.kind === 'handoff' && !report.error && turn.handoffTo === undefined) {
          turn.handoffTo = call.function.name.slice(handoffPrefix.length);
        }
      }
      if (turn.handoffTo !== undefined) {
        turn.content = contentText(message.content ?? '') || `Transferred to ${turn.handoffTo}.`;
        return turn;
      }
      if (!this.options.reflectOnToolUse) {
        turn.content = results.join('\n');
        return turn;
      }
    }
    const reflection = await this.call(turn, input, { messages });
    turn.content = contentText(reflection.content ?? '');
    return turn;
  }

  private async call(turn: AgentTurn, input: AgentTurnInput, request: ChatModelRequest) {
    const completion = await this.options.model.generate(
      { ...input.params, ...request },
      input.signal ? { signal: input.signal } : {},
    );
    turn.modelCalls += 1;
    addUsage(turn.usage, completion.usage);
    const choice = completion.choices[0];
    if (!choice) throw new LlmopsError('upstream_error', `agent ${this.name}: the model answered no choice`);
    return choice.message;
  }

  private async execute(call: ToolCall, input: AgentTurnInput): Promise<ToolCallReport> {
    const span = input.recorder?.start('tool_call');
    const report: ToolCallReport = {
      id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
      result: '',
      error: false,
    };
    let errorCode: string | undefined;
    try {
      const tool = this.tools.get(call.function.name);
      if (!tool) {
        throw new LlmopsError(
          'invalid_input',
          `agent ${this.name} has no tool ${call.function.name} (its tools: ${[...this.tools.keys()].join(', ') || 'none'})`,
        );
      }
      const args = parseToolArguments(tool, call.function.arguments);
      const output = await tool.run(args, input.signal ? { signal: input.signal } : {});
      report.result = typeof output === 'string' ? output : output.text;
      if (typeof output !== 'string' && output.reranker) report.reranker = output.reranker;
      const verdict = tool.kind === 'handoff' ? undefined : this.options.screen?.(report.result);
      if (verdict && verdict.action !== 'pass') {
        report.screened = verdict.action === 'withhold' ? 'withheld' : 'flagged';
        if (verdict.action === 'withhold') {
          report.result = `The output of ${tool.name} was withheld: it looked like an injected instruction (${verdict.categories.join(', ')}).`;
        }
      }
    } catch (error) {
      if (input.signal?.aborted) throw error;
      const failure = LlmopsError.fromUnknown(error);
      errorCode = failure.code;
      report.error = true;
      report.result = `Error: ${failure.message}`;
    }
    span?.end(
      {
        agent: this.name,
        tool: call.function.name,
        'result.chars': report.result.length,
        ...(errorCode ? { 'error.code': errorCode } : {}),
        ...(report.screened ? { screened: report.screened } : {}),
        ...modelRerankAttributes(report.reranker),
      },
      report.error ? 'error' : 'ok',
    );
    return report;
  }
}
