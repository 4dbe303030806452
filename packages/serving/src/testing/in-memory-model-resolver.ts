import { LlmopsError, parseReference } from '@llmops/kernel';
import type { ModelResolver, ServableModel, ServableModelListing } from '../ports.js';

/**
 * A {@link ModelResolver} over model versions held in memory, with aliases: for tests, and for
 * apps that serve a fixed set of versions without a registry.
 */
export class InMemoryModelResolver implements ModelResolver {
  private readonly versions = new Map<string, ServableModel[]>();
  private readonly aliases = new Map<string, Map<string, number>>();
  private readonly createdAt = new Map<string, number>();

  /** Adds a version (replacing one with the same name and version) and points the given aliases at it. */
  add(model: ServableModel, options: { aliases?: readonly string[]; createdAt?: number } = {}): this {
    const list = (this.versions.get(model.name) ?? []).filter((known) => known.version !== model.version);
    list.push(model);
    list.sort((left, right) => left.version - right.version);
    this.versions.set(model.name, list);
    if (!this.createdAt.has(model.name)) this.createdAt.set(model.name, options.createdAt ?? 0);
    for (const alias of options.aliases ?? []) this.setAlias(model.name, alias, model.version);
    return this;
  }

  /** Points an alias of a model at a version. */
  setAlias(name: string, alias: string, version: number): this {
    const aliases = this.aliases.get(name) ?? new Map<string, number>();
    aliases.set(alias, version);
    this.aliases.set(name, aliases);
    return this;
  }

  async resolve(reference: string): Promise<ServableModel> {
    const parsed = parseReference(reference);
    const list = this.versions.get(parsed.name);
    if (!list || list.length === 0) throw new LlmopsError('not_found', `model "${parsed.name}" is not registered`);
    let version: number;
    if (parsed.kind === 'latest') version = (list[list.length - 1] as ServableModel).version;
    else if (parsed.kind === 'version') version = parsed.version;
    else {
      const aliased = this.aliases.get(parsed.name)?.get(parsed.alias);
      if (aliased === undefined)
        throw new LlmopsError('not_found', `model "${parsed.name}" has no alias "${parsed.alias}"`);
      version = aliased;
    }
    const found = list.find((model) => model.version === version);
    if (!found) throw new LlmopsError('not_found', `model "${parsed.name}" has no version ${version}`);
    return found;
  }

  async list(): Promise<ServableModelListing[]> {
    return [...this.versions.entries()].map(([name, list]) => ({
      name,
      latestVersion: (list[list.length - 1] as ServableModel).version,
      aliases: Object.fromEntries(this.aliases.get(name) ?? []),
      createdAt: this.createdAt.get(name) ?? 0,
    }));
  }
}
