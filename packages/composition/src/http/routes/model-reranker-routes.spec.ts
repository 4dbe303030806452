import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
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
import type { AgentRunReport, ModelRerankReport, PipelineTrace } from '@llmops/serving';
import { InMemoryIndexStore, InMemoryModelResolver, servableModelFromSpec } from '@llmops/serving/testing';
import { startApiServer } from '../start-api-server.js';
import type { RunningApiServer } from '../start-api-server.js';
import { openAiRoutes } from './openai-routes.js';

/** The `llmops` block's parts these tests read. */
interface Extension {
  retrieval?: { reranker: ModelRerankReport };
  agent?: AgentRunReport;
  citations: unknown[];
}

const secret = 'sk-rerank-routes-0123456789';

/**
 * A local `/rerank` endpoint: answers the documents in reverse order, or HTTP 500 for the model `broken`; records
 * the authorization header of each request.
 */
async function startRerankStub(): Promise<{ baseUrl: string; authorizations: (string | undefined)[]; server: Server }> {
  const authorizations: (string | undefined)[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      authorizations.push(request.headers.authorization);
      const body = JSON.parse(text) as { model: string; documents: string[] };
      response.writeHead(body.model === 'broken' ? 500 : 200, { 'content-type': 'application/json' });
      const results = body.documents.map((_, index) => ({ index, relevance_score: 1 })).reverse();
      response.end(JSON.stringify(body.model === 'broken' ? { error: 'boom' } : { results }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, authorizations, server };
}

describe('the model reranker in answers (official openai client)', () => {
  let rerank: Awaited<ReturnType<typeof startRerankStub>>;
  let chat: OpenAiWireServer;
  let running: RunningApiServer;
  let client: OpenAI;
  const traces: PipelineTrace[] = [];

  beforeAll(async () => {
    rerank = await startRerankStub();
    chat = await startOpenAiWireServer();
    const root = mkdtempSync(join(tmpdir(), 'llmops-reranker-routes-'));
    mkdirSync(join(root, 'kb'));
    writeFileSync(
      join(root, 'kb', 'refunds.md'),
      '# Refunds\n\nRefunds are issued within 14 days of receiving the returned item.\n',
    );
    writeFileSync(join(root, 'kb', 'returns.md'), '# Returns\n\nReturned items are refunded once they are received.\n');
    writeFileSync(join(root, 'kb', 'shipping.md'), '# Shipping\n\nStandard orders ship within two business days.\n');
    const keyed = { apiKeyEnv: 'LLMOPS_PROVIDER_KEY_RERANK' };
    const ragModel = (name: string, reranker: Record<string, unknown>) =>
      servableModelFromSpec(
        {
          name,
          provider: 'offline/extractive',
          pipeline: { kind: 'rag', prompt: 'unpinned', corpus: 'kb', retrieval: { k: 2, candidates: 3, reranker } },
        },
        { version: 1 },
      );
    const agentModel = (name: string, reranker: Record<string, unknown>) =>
      servableModelFromSpec(
        {
          name,
          provider: 'offline/extractive',
          pipeline: {
            kind: 'agent',
            prompt: 'unpinned',
            tools: [{ name: 'search_kb', kind: 'retrieval', corpus: 'kb', k: 2, reranker }],
            agents: [{ name: 'helper', tools: ['search_kb'] }],
          },
        },
        { version: 1 },
      );
    const resolver = new InMemoryModelResolver()
      .add(ragModel('rag-reranked', { api: 'rerank', baseUrl: rerank.baseUrl, model: 'bge', ...keyed }))
      .add(ragModel('rag-broken', { api: 'rerank', baseUrl: rerank.baseUrl, model: 'broken' }))
      .add(agentModel('agent-reranked', { api: 'chat', baseUrl: chat.baseUrl, model: 'llama3.1:8b' }))
      .add(agentModel('agent-broken', { api: 'rerank', baseUrl: rerank.baseUrl, model: 'broken' }));
    const factory = new PipelineFactory({
      guardrails: builtInGuardrailPolicies(),
      indexer: new CorpusIndexer({ source: new FileCorpusSource({ root }), store: new InMemoryIndexStore() }),
      env: { LLMOPS_PROVIDER_KEY_RERANK: secret, LLMOPS_PROVIDER_KEY_RERANK_HOSTS: new URL(rerank.baseUrl).host },
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
    await chat.close();
    rerank.server.closeAllConnections();
    await new Promise<void>((resolve) => rerank.server.close(() => resolve()));
  });

  const host = () => new URL(rerank.baseUrl).host;

  it("says in llmops.retrieval.reranker what the RAG pipeline's reranker did, as the trace does, never the key", async () => {
    const completion = await client.chat.completions.create({
      model: 'rag-reranked',
      messages: [{ role: 'user', content: 'How long do refunds take?' }],
    });
    const extension = (completion as unknown as { llmops: Extension }).llmops;
    expect(extension.retrieval).toEqual({ reranker: { api: 'rerank', model: 'bge', host: host(), outcome: 'ok' } });
    expect(extension.retrieval?.reranker).toEqual(traces.at(-1)?.retrieval?.reranker);
    expect(rerank.authorizations.at(-1)).toBe(`Bearer ${secret}`);
    expect(JSON.stringify(completion)).not.toContain(secret);
  });

  it('says it in the finishing chunk of a stream', async () => {
    const stream = await client.chat.completions.create({
      model: 'rag-reranked',
      stream: true,
      messages: [{ role: 'user', content: 'How long do refunds take?' }],
    });
    const extensions: Extension[] = [];
    for await (const chunk of stream) {
      const extension = (chunk as unknown as { llmops?: Extension }).llmops;
      if (extension) extensions.push(extension);
    }
    expect(extensions).toHaveLength(1);
    expect(extensions[0]?.retrieval).toEqual({
      reranker: { api: 'rerank', model: 'bge', host: host(), outcome: 'ok' },
    });
  });

  it('answers with the order before the reranker when it fails, and says why', async () => {
    const completion = await client.chat.completions.create({
      model: 'rag-broken',
      messages: [{ role: 'user', content: 'How long do refunds take?' }],
    });
    expect(completion.choices[0]?.message.content).toContain('14 days');
    const extension = (completion as unknown as { llmops: Extension }).llmops;
    expect(extension.retrieval?.reranker).toEqual({
      api: 'rerank',
      model: 'broken',
      host: host(),
      outcome: 'failed (HTTP 500)',
    });
  });

  it("reranks an agent retrieval tool's passages with its reranker and records it in the tool step", async () => {
    // The chat reranker puts the second passage first.
    chat.reply('/v1/chat/completions', {
      kind: 'json',
      body: { choices: [{ index: 0, message: { role: 'assistant', content: '[2, 1]' }, finish_reason: 'stop' }] },
    });
    const completion = await client.chat.completions.create({
      model: 'agent-reranked',
      messages: [{ role: 'user', content: 'How long do refunds take?' }],
    });
    const call = (completion as unknown as { llmops: Extension }).llmops.agent?.steps[0]?.tool_calls[0];
    expect(call?.reranker).toEqual({
      api: 'chat',
      model: 'llama3.1:8b',
      host: new URL(chat.baseUrl).host,
      outcome: 'ok',
    });
    const prompt = JSON.stringify(
      (chat.requestsTo('/v1/chat/completions').at(-1)?.body as { messages: unknown }).messages,
    );
    expect(prompt).toContain('Question: How long do refunds take?');
    // Lexically Refunds comes first, Returns second; the reranker's [2, 1] puts Returns first in the tool's answer.
    expect(prompt).toMatch(/\[1\] Refunds.*\[2\] Returns/);
    expect(call?.result).toMatch(/\[1\] \(Returns; source: returns\.md\)[\s\S]*\[2\] \(Refunds; source: refunds\.md\)/);
    const span = traces.at(-1)?.spans.find((each) => each.name === 'tool_call');
    expect(span?.attributes).toMatchObject({ tool: 'search_kb', reranker: 'ok', 'reranker.api': 'chat' });
  });

  it("keeps an agent tool's lexical order when its reranker fails, and says why in the tool step", async () => {
    const completion = await client.chat.completions.create({
      model: 'agent-broken',
      messages: [{ role: 'user', content: 'How long do refunds take?' }],
    });
    expect(completion.choices[0]?.message.content).toContain('14 days');
    const call = (completion as unknown as { llmops: Extension }).llmops.agent?.steps[0]?.tool_calls[0];
    expect(call).toMatchObject({ name: 'search_kb', error: false });
    expect(call?.reranker?.outcome).toBe('failed (HTTP 500)');
    expect(call?.result).toMatch(/\[1\] \(Refunds; source: refunds\.md\)[\s\S]*\[2\] \(Returns; source: returns\.md\)/);
    const span = traces.at(-1)?.spans.find((each) => each.name === 'tool_call');
    expect(span?.attributes).toMatchObject({ reranker: 'failed (HTTP 500)', 'reranker.host': host() });
  });
});
