import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startOpenAiWireServer } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import {
  builtInGuardrailPolicies,
  CorpusIndexer,
  FileCorpusSource,
  PipelineFactory,
  ServingService,
} from '@llmops/serving';
import type { AgentRunReport, PipelineTrace } from '@llmops/serving';
import { InMemoryIndexStore, InMemoryModelResolver, servableModelFromSpec } from '@llmops/serving/testing';
import { startApiServer } from '../start-api-server.js';
import type { RunningApiServer } from '../start-api-server.js';
import { openAiRoutes } from './openai-routes.js';

/** An upstream completion: text, or tool calls. */
function upstreamReply(reply: { content?: string; calls?: { name: string; arguments: string }[] }) {
  const toolCalls = reply.calls?.map((call, index) => ({ id: `call_${index}`, type: 'function', function: call }));
  return {
    kind: 'json' as const,
    body: {
      id: 'chatcmpl-upstream',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4o-mini',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: reply.content ?? null,
            refusal: null,
            ...(toolCalls ? { tool_calls: toolCalls } : {}),
          },
          finish_reason: toolCalls ? 'tool_calls' : 'stop',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 },
    },
  };
}

describe('agent models through /v1/chat/completions (official openai client)', () => {
  let upstream: OpenAiWireServer;
  let running: RunningApiServer;
  let client: OpenAI;
  const traces: PipelineTrace[] = [];

  beforeAll(async () => {
    upstream = await startOpenAiWireServer();
    const root = mkdtempSync(join(tmpdir(), 'llmops-agent-routes-'));
    mkdirSync(join(root, 'kb'));
    writeFileSync(
      join(root, 'kb', 'refunds.md'),
      '# Refunds\n\nRefunds are issued within 14 days of receiving the returned item.\n',
    );
    writeFileSync(join(root, 'kb', 'shipping.md'), '# Shipping\n\nStandard orders ship within two business days.\n');
    writeFileSync(join(root, 'kb', 'accounts.md'), '# Accounts\n\nPasswords are reset from the sign-in page.\n');
    const tools = [
      { name: 'search_kb', kind: 'retrieval', corpus: 'kb' },
      { name: 'calc', kind: 'calculator' },
    ];
    const resolver = new InMemoryModelResolver()
      .add(
        servableModelFromSpec(
          {
            name: 'support-team',
            provider: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: upstream.baseUrl },
            pipeline: {
              kind: 'agent',
              prompt: 'unpinned',
              tools,
              agents: [
                { name: 'researcher', description: 'looks things up', tools: ['search_kb', 'calc'] },
                { name: 'reviewer', description: 'checks the answer and says TERMINATE' },
              ],
              team: { kind: 'round_robin', maxTurns: 6 },
              termination: { textMention: 'TERMINATE', maxMessages: 8 },
            },
          },
          { version: 1 },
        ),
      )
      .add(
        servableModelFromSpec(
          {
            name: 'offline-agent',
            provider: 'offline/extractive',
            pipeline: {
              kind: 'agent',
              prompt: 'unpinned',
              tools,
              agents: [{ name: 'helper', tools: ['search_kb', 'calc'] }],
            },
          },
          { version: 1 },
        ),
      );
    const factory = new PipelineFactory({
      guardrails: builtInGuardrailPolicies(),
      indexer: new CorpusIndexer({ source: new FileCorpusSource({ root }), store: new InMemoryIndexStore() }),
      env: {},
      models: resolver,
    });
    running = await startApiServer({
      port: 0,
      bodyLimitBytes: 64 * 1024,
      routes: [
        openAiRoutes({
          serving: new ServingService({ resolver, factory, traceSink: { record: (trace) => traces.push(trace) } }),
        }),
      ],
    });
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'not-checked', maxRetries: 0 });
  });

  afterAll(async () => {
    await running.close();
    await upstream.close();
  });

  it('a team answers after a tool call and reports its termination reason', async () => {
    upstream.reply(
      '/v1/chat/completions',
      upstreamReply({ calls: [{ name: 'calc', arguments: '{"expression":"14 * 2"}' }] }),
      upstreamReply({ content: 'Two refund periods are 28 days.' }),
      upstreamReply({ content: 'Correct: 28 days. TERMINATE' }),
    );
    const completion = await client.chat.completions.create({
      model: 'support-team',
      messages: [{ role: 'user', content: 'How many days are two refund periods of 14 days?' }],
    });
    expect(completion.choices[0]?.message.content).toBe('Correct: 28 days.');
    const agent = (completion as unknown as { llmops: { agent: AgentRunReport } }).llmops.agent;
    expect(agent.termination).toEqual({ conditions: ['text_mention'], message: "text 'TERMINATE' mentioned" });
    expect(agent.steps.map((step) => step.agent)).toEqual(['researcher', 'reviewer']);
    expect(agent.steps[0]?.tool_calls).toEqual([
      { id: 'call_0', name: 'calc', arguments: '{"expression":"14 * 2"}', result: '14 * 2 = 28', error: false },
    ]);
    expect(completion.usage?.total_tokens).toBe(180);
    // The upstream got the tool definitions, then the tool result.
    const requests = upstream.requestsTo('/v1/chat/completions').slice(-3);
    const first = requests[0]?.body as { tools: { function: { name: string } }[] };
    expect(first.tools.map((tool) => tool.function.name)).toEqual(['search_kb', 'calc']);
    const second = requests[1]?.body as { messages: { role: string; content: string }[] };
    expect(second.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_0', content: '14 * 2 = 28' });
    const trace = traces.at(-1) as PipelineTrace;
    expect(trace.pipeline).toBe('agent');
    expect(trace.spans.filter((span) => span.name === 'agent_turn')).toHaveLength(2);
    expect(trace.spans.find((span) => span.name === 'tool_call')?.attributes).toMatchObject({
      agent: 'researcher',
      tool: 'calc',
    });
  });

  it('the offline agent answers from its retrieval tool, streamed too', async () => {
    const completion = await client.chat.completions.create({
      model: 'offline-agent',
      messages: [{ role: 'user', content: 'How long do refunds take?' }],
    });
    expect(completion.choices[0]?.message.content).toBe(
      'Refunds are issued within 14 days of receiving the returned item [1].',
    );
    const agent = (completion as unknown as { llmops: { agent: AgentRunReport } }).llmops.agent;
    expect(agent.steps[0]?.tool_calls[0]?.name).toBe('search_kb');
    const stream = await client.chat.completions.create({
      model: 'offline-agent',
      stream: true,
      messages: [{ role: 'user', content: 'What is 3 * (4 + 5)?' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('3 * (4 + 5) = 27');
  });
});
