import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelSpecSchema } from '@llmops/kernel';
import { FileCorpusSource } from '../file-system/file-corpus-source.js';
import { toServableModel } from '../../domain/models/servable-model.js';
import { GuardrailPolicies } from '../../domain/guardrails/guardrail-policies.js';
import { guardrailPolicySchema } from '../../domain/guardrails/guardrail-policy.js';
import { InMemoryIndexStore } from '../../testing/in-memory-index-store.js';
import { PipelineFactory } from '../../application/pipeline-factory.js';
import { CorpusIndexer } from '../../application/retrieval/corpus-indexer.js';
import { parseChatRanking } from './http-passage-reranker.js';

/** One request the stub received: path, headers and JSON body. */
interface Received {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/** A local reranking endpoint answering each request with `answer` (the parsed request body in hand). */
async function stubEndpoint(
  answer: (body: Record<string, unknown>, response: ServerResponse) => void,
): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      received.push({ path: request.url ?? '', authorization: request.headers.authorization, body });
      answer(body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (response: ServerResponse, status: number, value: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(typeof value === 'string' ? value : JSON.stringify(value));
};

/** The rerank wire format, answering the documents in reverse order, `top_n` of them. */
const reversingRerank = (body: Record<string, unknown>, response: ServerResponse) => {
  const documents = body['documents'] as string[];
  const indexes = documents.map((_, index) => index).reverse();
  const top = typeof body['top_n'] === 'number' ? body['top_n'] : documents.length;
  json(response, 200, {
    id: 'rerank-1',
    results: indexes.slice(0, top).map((index, rank) => ({ index, relevance_score: 1 - rank / 10 })),
    meta: { billed_units: { search_units: 1 } },
  });
};

const question = 'how are parcels shipped';
const lines = [
  { id: 'a', title: 'Shipping', text: 'Parcels are shipped by courier within two days of the order.' },
  { id: 'b', title: 'Parcels', text: 'Parcels shipped abroad need a customs form.' },
  { id: 'c', title: 'Returns', text: 'Returned parcels are shipped back at our cost.' },
  { id: 'd', title: 'Lockers', text: 'Parcels can be shipped to a locker.' },
];
const root = mkdtempSync(join(tmpdir(), 'llmops-model-rerank-'));
writeFileSync(join(root, 'help.jsonl'), `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);

const secret = 'sk-rerank-test-0123456789';

function factory(env: Record<string, string>) {
  return new PipelineFactory({
    guardrails: new GuardrailPolicies({ none: guardrailPolicySchema.parse({}) }),
    indexer: new CorpusIndexer({ source: new FileCorpusSource({ root }), store: new InMemoryIndexStore() }),
    env,
  });
}

let version = 0;

/** Builds a RAG version (k 2 of 4 candidates, no lexical rerank) with `reranker`, asks the question, returns its trace. */
async function retrieve(reranker: Record<string, unknown> | undefined, env: Record<string, string> = {}) {
  version += 1;
  const spec = modelSpecSchema.parse({
    name: 'reranked',
    provider: 'offline/extractive',
    guardrails: 'none',
    pipeline: {
      kind: 'rag',
      prompt: 'p',
      corpus: 'help.jsonl',
      retrieval: { k: 2, candidates: 4, ...(reranker ? { reranker } : {}) },
    },
  });
  const pipeline = await factory(env).create(toServableModel(spec, { version }));
  const { trace } = await pipeline.complete(
    { messages: [{ role: 'user', content: question }] },
    { requestId: `rerank-${version}` },
  );
  const span = trace.spans.find((each) => each.name === 'retrieve');
  return { ids: trace.retrieval?.passages.map((passage) => passage.id) ?? [], trace, attributes: span?.attributes };
}

describe('a model reranker over HTTP (retrieval.reranker)', () => {
  let firstStage: string[] = [];
  beforeAll(async () => {
    // The order of the four candidates without a reranker: k = 4 shows them all.
    version += 1;
    const spec = modelSpecSchema.parse({
      name: 'plain',
      provider: 'offline/extractive',
      guardrails: 'none',
      pipeline: { kind: 'rag', prompt: 'p', corpus: 'help.jsonl', retrieval: { k: 4, candidates: 4 } },
    });
    const pipeline = await factory({}).create(toServableModel(spec, { version }));
    const { trace } = await pipeline.complete({ messages: [{ role: 'user', content: question }] }, { requestId: 'p' });
    firstStage = trace.retrieval?.passages.map((passage) => passage.id) ?? [];
    expect(firstStage).toHaveLength(4);
  });

  it('takes the top k in the order a /rerank endpoint answers, sending the key only to its declared host', async () => {
    const endpoint = await stubEndpoint(reversingRerank);
    try {
      const env = {
        LLMOPS_PROVIDER_KEY_RERANK: secret,
        LLMOPS_PROVIDER_KEY_RERANK_HOSTS: new URL(endpoint.url).host,
      };
      const { ids, trace, attributes } = await retrieve(
        { api: 'rerank', baseUrl: endpoint.url, model: 'bge-reranker', apiKeyEnv: 'LLMOPS_PROVIDER_KEY_RERANK' },
        env,
      );
      expect(ids).toEqual([...firstStage].reverse().slice(0, 2));
      const [call] = endpoint.received;
      expect(call?.path).toBe('/v1/rerank');
      expect(call?.authorization).toBe(`Bearer ${secret}`);
      expect(call?.body).toMatchObject({ model: 'bge-reranker', query: question, top_n: 2 });
      // Each document is the passage with its title, as the lexical index sees it.
      expect((call?.body['documents'] as string[])[firstStage.indexOf('a#1')]).toBe(
        'Shipping\nParcels are shipped by courier within two days of the order.',
      );
      expect(attributes).toMatchObject({
        reranker: 'ok',
        'reranker.api': 'rerank',
        'reranker.model': 'bge-reranker',
        'reranker.host': new URL(endpoint.url).host,
      });
      expect(JSON.stringify(trace)).not.toContain(secret);
    } finally {
      await endpoint.close();
    }
  });

  it('takes the order of the JSON array a chat model answers, omitted passages after it in their previous order', async () => {
    // Passage 9 does not exist and 4 is repeated: both are ignored; 1 and 2 are omitted.
    const endpoint = await stubEndpoint((_, response) =>
      json(response, 200, { choices: [{ message: { role: 'assistant', content: '```json\n[4, 9, 4, 3]\n```' } }] }),
    );
    try {
      const { ids, attributes } = await retrieve({ api: 'chat', baseUrl: endpoint.url, model: 'llama3.1:8b' });
      expect(ids).toEqual([firstStage[3], firstStage[2]]);
      expect(endpoint.received[0]?.path).toBe('/v1/chat/completions');
      expect(endpoint.received[0]?.authorization).toBeUndefined();
      const prompt = JSON.stringify(endpoint.received[0]?.body['messages']);
      expect(prompt).toContain(`Question: ${question}`);
      expect(prompt).toContain('[1] ');
      expect(attributes).toMatchObject({ reranker: 'ok', 'reranker.api': 'chat' });
    } finally {
      await endpoint.close();
    }
  });

  it.each([
    ['an HTTP 500', (_: unknown, response: ServerResponse) => json(response, 500, { error: 'boom' }), 'HTTP 500'],
    [
      'a malformed answer',
      (_: unknown, response: ServerResponse) => json(response, 200, '{"results": 3}'),
      'no results',
    ],
    ['an answer that is not JSON', (_: unknown, response: ServerResponse) => json(response, 200, '<html>'), 'not JSON'],
    [
      'a slow answer',
      (body: Record<string, unknown>, response: ServerResponse) => {
        setTimeout(() => reversingRerank(body, response), 3_000).unref();
      },
      'took longer than 50 ms',
    ],
  ])('keeps the previous order and records the failure on %s', async (_, answer, cause) => {
    const endpoint = await stubEndpoint(answer);
    try {
      const { ids, trace, attributes } = await retrieve({
        api: 'rerank',
        baseUrl: endpoint.url,
        model: 'bge-reranker',
        timeoutMs: 50,
      });
      expect(ids).toEqual(firstStage.slice(0, 2));
      expect(String(attributes?.['reranker'])).toMatch(new RegExp(`^failed \\(.*${cause}.*\\)$`));
      expect(trace.retrieval?.reranker?.outcome).toBe(attributes?.['reranker']);
    } finally {
      await endpoint.close();
    }
  });

  it('keeps the previous order when the connection is refused', async () => {
    const endpoint = await stubEndpoint(reversingRerank);
    await endpoint.close();
    const { ids, attributes } = await retrieve({ api: 'chat', baseUrl: endpoint.url, model: 'm' });
    expect(ids).toEqual(firstStage.slice(0, 2));
    expect(attributes?.['reranker']).toBe('failed (network error or redirect)');
  });

  it('refuses to start when the key variable is not declared for the reranker host, naming the field', async () => {
    const env = { LLMOPS_PROVIDER_KEY_RERANK: secret, LLMOPS_PROVIDER_KEY_RERANK_HOSTS: 'rerank.example.com' };
    const reranker = {
      api: 'rerank',
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'bge-reranker',
      apiKeyEnv: 'LLMOPS_PROVIDER_KEY_RERANK',
    };
    await expect(retrieve(reranker, env)).rejects.toThrow(
      'pipeline.retrieval.reranker.apiKeyEnv: LLMOPS_PROVIDER_KEY_RERANK may be sent only to rerank.example.com',
    );
    await expect(retrieve({ ...reranker, apiKeyEnv: 'SOME_KEY' }, {})).rejects.toThrow(
      'pipeline.retrieval.reranker.apiKeyEnv: SOME_KEY is not a declared provider credential',
    );
  });
});

describe("an agent retrieval tool's model reranker (its spec's reranker)", () => {
  it('refuses to start when the key variable is not declared for the reranker host, naming the tool field', async () => {
    const env = { LLMOPS_PROVIDER_KEY_RERANK: secret, LLMOPS_PROVIDER_KEY_RERANK_HOSTS: 'rerank.example.com' };
    const start = (reranker: Record<string, unknown>) => {
      version += 1;
      const spec = modelSpecSchema.parse({
        name: 'agent',
        provider: 'offline/extractive',
        guardrails: 'none',
        pipeline: {
          kind: 'agent',
          prompt: 'p',
          tools: [{ name: 'search', kind: 'retrieval', corpus: 'help.jsonl', reranker }],
          agents: [{ name: 'helper', tools: ['search'] }],
        },
      });
      return factory(env).create(toServableModel(spec, { version }));
    };
    const reranker = { api: 'rerank', baseUrl: 'http://127.0.0.1:9/v1', model: 'bge-reranker' };
    await expect(start({ ...reranker, apiKeyEnv: 'LLMOPS_PROVIDER_KEY_RERANK' })).rejects.toThrow(
      'pipeline.tools.search.reranker.apiKeyEnv: LLMOPS_PROVIDER_KEY_RERANK may be sent only to rerank.example.com',
    );
    await expect(start(reranker)).resolves.toBeDefined();
  });
});

describe('parseChatRanking', () => {
  it('reads one JSON array of passage numbers, alone or fenced, and refuses anything else', () => {
    expect(parseChatRanking(' [2, 1] ', 3)).toEqual([1, 0]);
    expect(parseChatRanking('```json\n[3]\n```', 3)).toEqual([2]);
    expect(parseChatRanking('[0, 4, 2]', 3)).toEqual([1]);
    expect(() => parseChatRanking('Passage [2] is best: [2, 1]', 3)).toThrow('did not answer a JSON array');
    expect(() => parseChatRanking('[1.5, 2]', 3)).toThrow('did not answer a JSON array');
    expect(() => parseChatRanking('{"order": [1]}', 3)).toThrow('did not answer a JSON array');
  });
});
