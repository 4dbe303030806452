import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LlmopsError } from '@llmops/kernel';
import type { IndexStore, StoredIndex } from '../../ports.js';

/**
 * Keeps built retrieval indexes as JSON files, one per key, in a directory (by convention
 * `.llmops/indexes/`). Writes go to a temporary file renamed into place, so a reader never sees
 * half an index; a file that does not parse, or holds another key, counts as absent (and is rebuilt).
 */
export class FileIndexStore implements IndexStore {
  private readonly directory: string;

  constructor(options: { directory: string }) {
    this.directory = options.directory;
  }

  private fileOf(key: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(key))
      throw new LlmopsError('invalid_input', `index key "${key}" has characters outside A-Z a-z 0-9 _ . -`);
    return join(this.directory, `${key}.json`);
  }

  async load(key: string): Promise<StoredIndex | undefined> {
    const file = this.fileOf(key);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new LlmopsError('unavailable', `index ${key} cannot be read from ${this.directory}`, { cause });
    }
    try {
      const index = JSON.parse(text) as StoredIndex;
      return index.key === key && Array.isArray(index.passages) ? index : undefined;
    } catch {
      return undefined;
    }
  }

  async save(index: StoredIndex): Promise<void> {
    const file = this.fileOf(index.key);
    const temporary = `${file}.${randomUUID()}.tmp`;
    try {
      await mkdir(this.directory, { recursive: true });
      await writeFile(temporary, JSON.stringify(index));
      await rename(temporary, file);
    } catch (cause) {
      await rm(temporary, { force: true });
      throw new LlmopsError('unavailable', `index ${index.key} cannot be written to ${this.directory}`, { cause });
    }
  }
}
