import { join } from 'node:path';
import { GuardrailPolicies } from '../domain/guardrails/guardrail-policies.js';
import { guardrailPolicySchema } from '../domain/guardrails/guardrail-policy.js';
import { FileCorpusSource } from '../adapters/file-system/file-corpus-source.js';
import { InMemoryIndexStore } from '../testing/in-memory-index-store.js';
import { servableModelFromSpec } from '../testing/servable-model-from-spec.js';
import { PipelineFactory } from './pipeline-factory.js';
import { CorpusIndexer } from './retrieval/corpus-indexer.js';

/** A RAG model on the offline provider whose answers carry a link its sources do not hold (what `urls` would redact). */
function pipelineWith(policy: 'none' | 'links') {
  const factory = new PipelineFactory({
    guardrails: new GuardrailPolicies({
      none: guardrailPolicySchema.parse({ description: 'no checks' }),
      links: guardrailPolicySchema.parse({ output: { urls: { action: 'redact' } } }),
    }),
    indexer: new CorpusIndexer({
      source: new FileCorpusSource({ root: join(__dirname, '..', '__fixtures__') }),
      store: new InMemoryIndexStore(),
    }),
    env: {},
  });
  return factory.create(
    servableModelFromSpec(
      {
        name: 'support-bot',
        provider: 'offline/extractive',
        pipeline: { kind: 'rag', prompt: 'unpinned', corpus: 'kb', retrieval: { k: 4 }, tokenBudget: 300 },
        guardrails: policy,
      },
      { version: 1 },
    ),
  );
}

describe('the guardrail step under a policy without checks', () => {
  it('returns the answer as it is, with both check spans in the trace and no verdicts', async () => {
    const pipeline = await pipelineWith('none');
    const { completion, trace } = await pipeline.complete({
      messages: [{ role: 'user', content: 'How long do refunds take?' }],
    });
    expect(completion.choices[0]?.message.content).toMatch(/^Refunds are issued/);
    expect(trace.guardrailPolicy).toBe('none');
    expect(trace.guardrails).toEqual([]);
    const guardSpans = trace.spans.filter((span) => span.name.startsWith('guard_'));
    expect(guardSpans.map((span) => [span.name, span.status, span.attributes])).toEqual([
      ['guard_input', 'ok', { checks: 0, passed: 0, flagged: 0, redacted: 0, blocked: 0 }],
      ['guard_output', 'ok', { checks: 0, passed: 0, flagged: 0, redacted: 0, blocked: 0 }],
    ]);
  });

  it('still runs the output checks of a policy that has some', async () => {
    const pipeline = await pipelineWith('links');
    const { trace } = await pipeline.complete({ messages: [{ role: 'user', content: 'How long do refunds take?' }] });
    expect(trace.guardrails.map((verdict) => [verdict.stage, verdict.check])).toEqual([['output', 'urls']]);
    expect(trace.spans.find((span) => span.name === 'guard_output')?.attributes).toMatchObject({ checks: 1 });
  });
});
