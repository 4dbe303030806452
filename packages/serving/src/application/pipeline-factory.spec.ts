import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confinedOperatorFile, modelSpecSchema, ragBounds } from '@llmops/kernel';
import { FileCorpusSource } from '../adapters/file-system/file-corpus-source.js';
import { FilePassageVectorStore } from '../adapters/file-system/file-passage-vector-store.js';
import { miniLmEncoderAt, miniLmWeightsIdentityAt } from '../domain/retrieval/minilm/minilm-files.js';
import { toServableModel } from '../domain/models/servable-model.js';
import { builtInGuardrailPolicies, GuardrailPolicies } from '../domain/guardrails/guardrail-policies.js';
import { guardrailPolicySchema } from '../domain/guardrails/guardrail-policy.js';
import { InMemoryIndexStore } from '../testing/in-memory-index-store.js';
import { PipelineFactory } from './pipeline-factory.js';
import { CorpusIndexer } from './retrieval/corpus-indexer.js';

/** A small corpus written for this test: two documents, one long enough to need several passages. */
function corpusRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'llmops-spec-property-'));
  mkdirSync(join(root, 'kb'));
  writeFileSync(
    join(root, 'kb', 'refunds.md'),
    '# Refunds\n\nRefunds are issued within 14 days. Store credit is immediate.\n',
  );
  const sentences = Array.from({ length: 60 }, (_, index) => `Shipping rule ${index} covers parcels of size ${index}.`);
  writeFileSync(join(root, 'kb', 'shipping.md'), `# Shipping\n\n${sentences.join(' ')}\n`);
  return root;
}

/** A deterministic pseudo-random generator (mulberry32), so a failure replays the same specs. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Specs around and across every bound of the schema, boundaries included. */
function candidateSpecs(count: number): unknown[] {
  const next = random(20_240_601);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const { k, tokenBudget, maxTokens, overlapTokens, candidates } = ragBounds;
  const optional = (values: readonly number[]) => pick<number | undefined>([undefined, ...values]);
  return Array.from({ length: count }, (_, index) => {
    if (next() < 0.2)
      return { name: `chat-${index}`, provider: 'offline/extractive', pipeline: { kind: 'chat', prompt: 'p' } };
    return {
      name: `rag-${index}`,
      provider: 'offline/extractive',
      pipeline: {
        kind: 'rag',
        prompt: 'p',
        corpus: 'kb',
        tokenBudget: pick([1, tokenBudget.min - 1, tokenBudget.min, 17, 64, 300, 2000]),
        retrieval: {
          k: pick([k.min - 1, k.min, 2, 4, 17, k.max, k.max + 1]),
          candidates: optional([candidates.min, 3, 50, candidates.max, candidates.max + 1]),
          rerank: pick(['none', 'lexical']),
          compress: pick([true, false, { keepRatio: 0.5 }]),
          chunking: {
            strategy: pick(['structure', 'tokens']),
            maxTokens: optional([maxTokens.min - 1, maxTokens.min, 17, 30, 41, 80, 200, maxTokens.max]),
            overlapTokens: optional([overlapTokens.min, 1, 15, 16, 39, 40, 79, 199]),
          },
        },
        ...(next() < 0.3 ? { embedder: 'offline/lexical' } : {}),
      },
    };
  });
}

describe('PipelineFactory and the model spec schema', () => {
  it('builds a working pipeline for every spec the schema accepts', async () => {
    const factory = new PipelineFactory({
      guardrails: builtInGuardrailPolicies(),
      indexer: new CorpusIndexer({
        source: new FileCorpusSource({ root: corpusRoot() }),
        store: new InMemoryIndexStore(),
      }),
      env: {},
    });
    let accepted = 0;
    let rejected = 0;
    for (const [index, candidate] of candidateSpecs(160).entries()) {
      const parsed = modelSpecSchema.safeParse(candidate);
      if (!parsed.success) {
        rejected += 1;
        continue;
      }
      accepted += 1;
      const pipeline = await factory
        .create(toServableModel(parsed.data, { version: index + 1 }))
        .catch((error: unknown) => {
          throw new Error(`accepted spec ${JSON.stringify(candidate)} did not build: ${String(error)}`);
        });
      const { completion } = await pipeline.complete(
        { messages: [{ role: 'user', content: 'How long do refunds take?' }] },
        { requestId: `req-${index}` },
      );
      expect(completion.model).toBe(`${parsed.data.name}/${index + 1}`);
    }
    // The generator reaches both sides of the bounds.
    expect(accepted).toBeGreaterThan(40);
    expect(rejected).toBeGreaterThan(40);
  });

  it('answers from placeholders when the spec redacts personal data at indexing time (retrieval.redactPii)', async () => {
    const root = corpusRoot();
    writeFileSync(
      join(root, 'kb', 'refund-contact.md'),
      '# Refund contact\n\nRefund questions go to Marta Quill at marta.quill@quillmend.example or 0151 23456789.\n',
    );
    // A policy without output checks: whatever the answer shows comes from the index.
    const factory = new PipelineFactory({
      guardrails: new GuardrailPolicies({ none: guardrailPolicySchema.parse({}) }),
      indexer: new CorpusIndexer({ source: new FileCorpusSource({ root }), store: new InMemoryIndexStore() }),
      env: {},
    });
    const answer = async (redactPii: boolean, version: number) => {
      const spec = modelSpecSchema.parse({
        name: 'contact',
        provider: 'offline/extractive',
        guardrails: 'none',
        pipeline: { kind: 'rag', prompt: 'p', corpus: 'kb', retrieval: { k: 2, redactPii } },
      });
      const pipeline = await factory.create(toServableModel(spec, { version }));
      const { completion } = await pipeline.complete(
        { messages: [{ role: 'user', content: 'Where do refund questions go?' }] },
        { requestId: `req-${version}` },
      );
      return completion.choices[0]?.message.content ?? '';
    };
    expect(await answer(true, 1)).toContain(
      'Refund questions go to Marta Quill at [REDACTED_EMAIL] or [REDACTED_PHONE]',
    );
    expect(await answer(false, 2)).toContain('marta.quill@quillmend.example');
  });

  describe('with the MiniLM dense rerank signal (retrieval.dense)', () => {
    // The tiny random MiniLM of the encoder's tests: the passage that is the question's own text is the closest.
    const weights = join(__dirname, '..', 'domain', 'retrieval', 'minilm', '__fixtures__', 'minilm-fixture.bin');
    const question = 'copy a file without overwriting';
    const lines = [
      { id: 'long', text: 'copy a file without overwriting it: cp -n copies a file and never overwrites a file.' },
      { id: 'exact', text: question },
      { id: 'rsync', text: 'rsync copies a file tree' },
      { id: 'fox', text: 'The quick brown fox jumps over the lazy dog.' },
    ];
    const root = mkdtempSync(join(tmpdir(), 'llmops-dense-rerank-'));
    writeFileSync(join(root, 'help.jsonl'), `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
    const factory = (confineFile?: (path: string, what: string) => string, passageVectorDirectory?: string) =>
      new PipelineFactory({
        guardrails: new GuardrailPolicies({ none: guardrailPolicySchema.parse({}) }),
        indexer: new CorpusIndexer({ source: new FileCorpusSource({ root }), store: new InMemoryIndexStore() }),
        env: {},
        ...(confineFile ? { confineFile } : {}),
        ...(passageVectorDirectory ? { passageVectorDirectory } : {}),
      });
    const spec = (dense: unknown) =>
      modelSpecSchema.parse({
        name: 'dense',
        provider: 'offline/extractive',
        guardrails: 'none',
        pipeline: {
          kind: 'rag',
          prompt: 'p',
          corpus: 'help.jsonl',
          retrieval: { k: 1, rerank: 'lexical', ...(dense ? { dense } : {}) },
        },
      });
    const answer = async (dense: unknown, version: number, vectors?: string) => {
      const pipeline = await factory(undefined, vectors).create(toServableModel(spec(dense), { version }));
      const { completion } = await pipeline.complete(
        { messages: [{ role: 'user', content: question }] },
        { requestId: `dense-${version}` },
      );
      return completion.choices[0]?.message.content ?? '';
    };

    it('answers from the lexical order when absent, and from the passage the dense signal lifts when present', async () => {
      expect(spec(undefined).pipeline).not.toHaveProperty('retrieval.dense');
      expect(await answer(undefined, 1)).toContain('cp -n');
      const lifted = await answer({ weights }, 2);
      expect(lifted).toContain(question);
      expect(lifted).not.toContain('cp -n');
    });

    it('keeps the passage vectors in the given folder, and a restarted pipeline ranks with the vectors kept there', async () => {
      const vectors = mkdtempSync(join(tmpdir(), 'llmops-dense-vectors-'));
      expect(await answer({ weights }, 5, vectors)).toContain(question);
      // The file is written after the answer, in the background: wait for it (bounded).
      for (let attempt = 0; attempt < 500 && readdirSync(vectors).length === 0; attempt += 1)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(readdirSync(vectors)).toEqual([expect.stringMatching(/^dense-[0-9a-f]{40}\.bin$/)]);
      // Swap the stored vector of the passage that is the question's text for an unrelated text's: a restarted
      // pipeline that reads the file no longer lifts that passage (one that embeds again would).
      const encoder = miniLmEncoderAt(weights, 'test');
      const store = new FilePassageVectorStore({
        directory: vectors,
        corpus: 'help.jsonl',
        weights: miniLmWeightsIdentityAt(weights, 'test'),
      });
      const kept = await store.load();
      const questionVector = encoder.encode(question);
      const cosine = (vector: Float32Array) =>
        vector.reduce((sum, value, at) => sum + value * (questionVector[at] as number), 0);
      const [exact] = [...kept].sort(([, left], [, right]) => cosine(right) - cosine(left));
      expect(exact).toBeDefined();
      kept.set(exact?.[0] as string, encoder.encode('The quick brown fox jumps over the lazy dog.'));
      await store.save(kept);
      expect(await answer({ weights }, 6, vectors)).toContain('cp -n');
    });

    it('refuses to start a version whose weights file is missing, naming the field and the path', async () => {
      const missing = join(root, 'no-such-minilm.bin');
      await expect(factory().create(toServableModel(spec({ weights: missing }), { version: 3 }))).rejects.toThrow(
        `pipeline.retrieval.dense.weights: ${missing} could not be read (ENOENT)`,
      );
    });

    // An agent's retrieval tool takes the same signal (`dense` on the tool): its result is the passage it lifts.
    const agentSpec = (dense: unknown) =>
      modelSpecSchema.parse({
        name: 'dense-agent',
        provider: 'offline/extractive',
        guardrails: 'none',
        pipeline: {
          kind: 'agent',
          prompt: 'p',
          tools: [{ name: 'search', kind: 'retrieval', corpus: 'help.jsonl', k: 1, ...(dense ? { dense } : {}) }],
          agents: [{ name: 'helper', tools: ['search'] }],
        },
      });
    const toolResult = async (dense: unknown, version: number) => {
      const pipeline = await factory().create(toServableModel(agentSpec(dense), { version }));
      const { completion } = await pipeline.complete(
        { messages: [{ role: 'user', content: question }] },
        { requestId: `dense-agent-${version}` },
      );
      return completion.llmops.agent?.steps[0]?.tool_calls[0]?.result ?? '';
    };

    it("lifts the passage in an agent's retrieval tool when the tool has dense, as in a RAG pipeline", async () => {
      expect(agentSpec(undefined).pipeline).not.toHaveProperty('tools.0.dense');
      expect(await toolResult(undefined, 7)).toContain('cp -n');
      const lifted = await toolResult({ weights }, 8);
      expect(lifted).toContain(question);
      expect(lifted).not.toContain('cp -n');
    });

    it("refuses to start an agent whose retrieval tool's weights file is missing, naming the tool's field", async () => {
      const missing = join(root, 'no-such-minilm.bin');
      await expect(factory().create(toServableModel(agentSpec({ weights: missing }), { version: 9 }))).rejects.toThrow(
        `pipeline.tools.search.dense.weights: ${missing} could not be read (ENOENT)`,
      );
    });

    it('confines the weights path as the app asks, naming the field', async () => {
      const confined = factory((file, what) => confinedOperatorFile({ root, file, what, env: {} }));
      await expect(confined.create(toServableModel(spec({ weights }), { version: 4 }))).rejects.toThrow(
        /pipeline\.retrieval\.dense\.weights .*minilm-fixture\.bin is outside/,
      );
    });
  });
});
