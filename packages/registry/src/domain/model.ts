import type { ModelVersionSpec } from '@llmops/kernel';

/** The verdict of an evaluation run on a model version, as attached to it. */
export type EvidenceVerdict = 'passed' | 'failed';

/** An evaluation run recorded on a model version (by a promotion, or by the evaluation context). */
export interface EvidenceLink {
  runId: string;
  dataset: string;
  verdict: EvidenceVerdict;
  /** The metric values the verdict was based on. */
  metrics: Readonly<Record<string, number>>;
  /** When it was attached, milliseconds since the epoch. */
  attachedAt: number;
}

/** Where a model version came from. */
export interface ModelLineage {
  /** The conf file it was registered from, and the hash of that file's text. */
  source?: { file: string; contentHash: string };
  /** The git commit of the workspace at registration, when there is one. */
  gitCommit?: string;
  /** Prompt references as written in the spec, before pinning (`support-answer@champion`). */
  requestedPrompt?: string;
  /** A RAG version's corpus at registration: its location and the content hash of its files (paths and bytes). */
  corpus?: CorpusRecord;
}

/** The content of a RAG corpus a version was registered over. */
export interface CorpusRecord {
  /** The spec's `pipeline.corpus`, as written. */
  location: string;
  /** `sha256:<hex>` of every file's path and bytes (serving's corpus content hash). */
  contentHash: string;
}

/** An immutable version of a model; only evidence is added to it later. */
export interface ModelVersion {
  name: string;
  version: number;
  /** The spec, with the prompt pinned to a concrete version (`name/3`). */
  spec: ModelVersionSpec;
  /**
   * `sha256:<hex>` of the spec, and of its corpus's content hash when one was recorded; registering the same spec
   * over the same corpus content again gives this version back.
   */
  contentHash: string;
  lineage: ModelLineage;
  evidence: readonly EvidenceLink[];
  createdAt: number;
  author: string;
}

/** A model (an LLM application): its name, description, newest version and aliases. */
export interface ModelInfo {
  name: string;
  description: string;
  tags: Readonly<Record<string, string>>;
  createdAt: number;
  latestVersion: number;
  /** Alias → version. */
  aliases: Readonly<Record<string, number>>;
}
