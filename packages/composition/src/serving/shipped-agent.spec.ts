import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseModelVersionSpec } from '@llmops/kernel';
import {
  builtInGuardrailPolicies,
  CorpusIndexer,
  FileCorpusSource,
  PipelineFactory,
  toServableModel,
} from '@llmops/serving';
import type { AgentRunReport } from '@llmops/serving';
import { InMemoryIndexStore, InMemoryModelResolver } from '@llmops/serving/testing';

const workspace = join(__dirname, '..', '..', '..', '..');

describe('the shipped agent model confs/models/support-agent.yaml', () => {
  it('parses with the kernel schema and answers offline from the help center with its retrieval tool', async () => {
    const file = 'confs/models/support-agent.yaml';
    const spec = parseModelVersionSpec(parse(readFileSync(join(workspace, file), 'utf8')), file);
    const model = toServableModel(spec, { version: 1 });
    const factory = new PipelineFactory({
      guardrails: builtInGuardrailPolicies(),
      indexer: new CorpusIndexer({
        source: new FileCorpusSource({ root: workspace }),
        store: new InMemoryIndexStore(),
      }),
      models: new InMemoryModelResolver().add(model),
      env: {},
    });
    const pipeline = await factory.create(model);
    const { completion } = await pipeline.complete({
      messages: [{ role: 'user', content: 'How do I reset my password?' }],
    });
    const agent = (completion.llmops as { agent?: AgentRunReport }).agent;
    expect(agent?.steps[0]?.tool_calls[0]?.name).toBe('search_help_center');
    expect(completion.choices[0]?.message.content).toMatch(/password/i);
  });
});
