import { LlmopsError } from '@llmops/kernel';
import type { CorpusCheck } from '@llmops/monitoring';
import type { Registry } from '@llmops/registry';
import { readCorpusRecord } from '../registry/corpus-record.js';

/**
 * Compares the corpus content a RAG model's champion was registered over (its lineage) with the corpus's files
 * now. Answers undefined when the model has no champion or the champion is not a RAG version (nothing to check).
 */
export async function checkChampionCorpus(options: {
  registry: Registry;
  model: string;
  cwd: string;
}): Promise<CorpusCheck | undefined> {
  const info = await options.registry.getModel(options.model);
  const version = info.aliases['champion'];
  if (version === undefined) return undefined;
  const champion = await options.registry.showModel(`${options.model}/${version}`);
  const pipeline = champion.spec.pipeline;
  if (pipeline.kind !== 'rag') return undefined;
  const recorded = champion.lineage.corpus?.contentHash ?? null;
  let current: string | null = null;
  let reason: string | undefined;
  try {
    current = (await readCorpusRecord(pipeline.corpus, { cwd: options.cwd })).contentHash;
  } catch (error) {
    reason = `the corpus cannot be read: ${LlmopsError.fromUnknown(error).message}`;
  }
  if (recorded === null) reason = 'no corpus content hash was recorded when the champion was registered';
  return {
    model: options.model,
    version,
    location: pipeline.corpus,
    recorded,
    current,
    ...(reason === undefined ? {} : { reason }),
  };
}
