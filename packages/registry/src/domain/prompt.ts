import type { PromptTemplate } from './prompt-template.js';

/** An immutable version of a prompt. */
export interface PromptVersion {
  name: string;
  /** 1, 2, 3… in order of registration. */
  version: number;
  template: PromptTemplate;
  /** The variables the template uses, in order of first appearance. */
  variables: string[];
  /** What changed, like a commit message. */
  message: string;
  tags: Readonly<Record<string, string>>;
  /** Milliseconds since the epoch. */
  createdAt: number;
  author: string;
  /** `sha256:<hex>` of the template; registering the same template again gives this version back. */
  contentHash: string;
}

/** A prompt: its name, when it was created, its newest version and its aliases. */
export interface PromptInfo {
  name: string;
  description: string;
  tags: Readonly<Record<string, string>>;
  createdAt: number;
  latestVersion: number;
  /** Alias → version. */
  aliases: Readonly<Record<string, number>>;
}
