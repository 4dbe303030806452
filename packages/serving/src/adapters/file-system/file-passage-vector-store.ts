import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PassageVectorStore } from '../../ports.js';

/** The first bytes of every file, with the layout's version. */
const magic = Buffer.from('LLMOPSV1', 'latin1');
/** magic, the file's key (SHA-256 of corpus and weights identity), vector width, count. */
const headerBytes = magic.length + 32 + 4 + 4;
const keyBytes = 32;

/** Settings of {@link FilePassageVectorStore}. */
export interface FilePassageVectorStoreOptions {
  /** The folder the file is kept in: the stored indexes' (`.llmops/indexes/`). */
  directory: string;
  /** The corpus location the passages come from (the model spec's `corpus`). */
  corpus: string;
  /** The identity of the weights that made the vectors (`miniLmWeightsIdentityAt`). */
  weights: string;
  /** Hears of a file ignored or not written; `process.emitWarning` by default. */
  onWarning?: (message: string) => void;
}

/**
 * Keeps a corpus's MiniLM passage vectors in one binary file beside the stored indexes, named by the SHA-256 of the
 * corpus location and the weights identity (so the path is always a hex name inside the directory): a header (magic,
 * that SHA-256, width, count), then per passage the SHA-256 of its embedded text and its float32 vector (1,568 bytes
 * for MiniLM). Writes go to a temporary file renamed into place; a missing file is empty, and a file that is
 * truncated, of another layout or of another corpus or weights is ignored with a warning.
 */
export class FilePassageVectorStore implements PassageVectorStore {
  private readonly file: string;
  private readonly key: Buffer;
  private readonly warn: (message: string) => void;

  constructor(private readonly options: FilePassageVectorStoreOptions) {
    this.key = createHash('sha256').update(`${options.corpus}\0${options.weights}`).digest();
    this.file = join(options.directory, `dense-${this.key.toString('hex').slice(0, 40)}.bin`);
    this.warn = options.onWarning ?? ((message) => process.emitWarning(message));
  }

  async load(): Promise<Map<string, Float32Array>> {
    const vectors = new Map<string, Float32Array>();
    let bytes: Buffer;
    try {
      bytes = await readFile(this.file);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT')
        this.warn(`passage vectors ${this.file} ignored: ${(cause as NodeJS.ErrnoException).code ?? 'unreadable'}`);
      return vectors;
    }
    const problem = this.problemOf(bytes);
    if (problem) {
      this.warn(`passage vectors ${this.file} ignored: ${problem}; they will be computed again`);
      return vectors;
    }
    const width = bytes.readUInt32LE(magic.length + 32);
    const count = bytes.readUInt32LE(magic.length + 36);
    const recordBytes = keyBytes + width * 4;
    for (let record = 0; record < count; record += 1) {
      const start = headerBytes + record * recordBytes;
      const vector = new Float32Array(width);
      Buffer.from(vector.buffer).set(bytes.subarray(start + keyBytes, start + recordBytes));
      vectors.set(bytes.toString('hex', start, start + keyBytes), vector);
    }
    return vectors;
  }

  async save(vectors: ReadonlyMap<string, Float32Array>): Promise<void> {
    // Built before the first await: the caller may add vectors while the file is written.
    const bytes = this.encode(vectors);
    const temporary = `${this.file}.${randomUUID()}.tmp`;
    try {
      await mkdir(this.options.directory, { recursive: true });
      await writeFile(temporary, bytes);
      await rename(temporary, this.file);
    } catch (cause) {
      await rm(temporary, { force: true });
      this.warn(`passage vectors ${this.file} not written: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`);
    }
  }

  private encode(vectors: ReadonlyMap<string, Float32Array>): Buffer {
    const width = vectors.values().next().value?.length ?? 0;
    const recordBytes = keyBytes + width * 4;
    const bytes = Buffer.alloc(headerBytes + vectors.size * recordBytes);
    magic.copy(bytes, 0);
    this.key.copy(bytes, magic.length);
    bytes.writeUInt32LE(width, magic.length + 32);
    bytes.writeUInt32LE(vectors.size, magic.length + 36);
    let start = headerBytes;
    for (const [key, vector] of vectors) {
      bytes.write(key, start, keyBytes, 'hex');
      Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).copy(bytes, start + keyBytes);
      start += recordBytes;
    }
    return bytes;
  }

  /** Why a file cannot be read as this store's, or `undefined`. */
  private problemOf(bytes: Buffer): string | undefined {
    if (bytes.length < headerBytes || !bytes.subarray(0, magic.length).equals(magic))
      return 'not a passage vector file';
    if (!bytes.subarray(magic.length, magic.length + 32).equals(this.key))
      return 'made for another corpus or other weights';
    const width = bytes.readUInt32LE(magic.length + 32);
    const count = bytes.readUInt32LE(magic.length + 36);
    const expected = headerBytes + count * (keyBytes + width * 4);
    if (bytes.length !== expected) return `${bytes.length} bytes where its header promises ${expected} (truncated?)`;
    return undefined;
  }
}
