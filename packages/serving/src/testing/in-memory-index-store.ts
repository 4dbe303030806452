import type { IndexStore, StoredIndex } from '../ports.js';

/** An {@link IndexStore} in memory, counting loads and saves so tests can tell a build from a reuse. */
export class InMemoryIndexStore implements IndexStore {
  readonly indexes = new Map<string, StoredIndex>();
  saves = 0;
  loads = 0;

  async load(key: string): Promise<StoredIndex | undefined> {
    this.loads += 1;
    return this.indexes.get(key);
  }

  async save(index: StoredIndex): Promise<void> {
    this.saves += 1;
    this.indexes.set(index.key, index);
  }
}
