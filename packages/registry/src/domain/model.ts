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
}

/** An immutable version of a model; only evidence is added to it later. */
export interface ModelVersion {
  name: string;
  version: number;
  /** The spec, with the prompt pinned to a concrete version (`name/3`). */
  spec: ModelVersionSpec;
  /** `sha256:<hex>` of the spec; registering the same spec again gives this version back. */
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
