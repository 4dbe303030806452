import { LlmopsError } from '@llmops/kernel';
import { FileCorpusSource } from '@llmops/serving';
import type { CorpusRecord } from '@llmops/registry';

/**
 * The content of a corpus as it is now: its location and the hash serving's file source computes over every
 * file's path and bytes (the same hash the RAG index key is built from).
 * @throws LlmopsError `invalid_input` for a missing or empty corpus.
 */
export async function readCorpusRecord(
  location: string,
  options: { cwd: string; dataRoots?: readonly string[] },
): Promise<CorpusRecord> {
  const snapshot = await new FileCorpusSource({
    root: options.cwd,
    ...(options.dataRoots ? { dataRoots: options.dataRoots } : {}),
  }).read(location);
  return { location, contentHash: `sha256:${snapshot.contentHash}` };
}

/**
 * What a registration records of a spec's corpus: for a RAG spec (as written) whose corpus can be read, the
 * `corpus` input of `registerModel`; otherwise nothing (a chat or agent spec; a corpus that cannot be read now,
 * which serving reports when it reads it).
 * @throws LlmopsError `invalid_input` naming `pipeline.corpus` for a corpus outside the workspace and data roots
 * (symbolic links followed): such a spec is refused at registration, as serving would refuse it.
 */
export async function corpusOfSpec(
  spec: unknown,
  options: { cwd: string; dataRoots?: readonly string[] },
): Promise<{ corpus?: CorpusRecord }> {
  const pipeline = (spec as { pipeline?: { kind?: unknown; corpus?: unknown } } | null)?.pipeline;
  if (pipeline?.kind !== 'rag' || typeof pipeline.corpus !== 'string') return {};
  try {
    return { corpus: await readCorpusRecord(pipeline.corpus, options) };
  } catch (error) {
    if (LlmopsError.isInstance(error) && error.code === 'forbidden')
      throw new LlmopsError('invalid_input', `model spec: pipeline.corpus: ${error.message}`, { cause: error });
    return {};
  }
}
