import { LlmopsError, systemClock } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';
import type { ResponseCacheStore } from '../../ports.js';

/** Settings of {@link LruResponseCache}. */
export interface LruResponseCacheOptions {
  /** Most entries kept; 10,000 by default. */
  maxEntries?: number;
  /** Most bytes of values kept (UTF-16 length × 2, keys included); 64 MiB by default. */
  maxBytes?: number;
  clock?: Clock;
}

interface Entry {
  value: string;
  expiresAt: number;
  bytes: number;
}

/**
 * The default response cache: in this process, bounded by entries and by bytes, the least recently used entry dropped
 * first; an expired entry is dropped when it is read. Not shared: each replica has its own.
 */
export class LruResponseCache implements ResponseCacheStore {
  readonly name = 'memory';
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly clock: Clock;
  private bytes = 0;
  private closed = false;

  /** @throws LlmopsError `invalid_input` for a bound that is not a positive integer. */
  constructor(options: LruResponseCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    for (const [name, value] of [
      ['maxEntries', this.maxEntries],
      ['maxBytes', this.maxBytes],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new LlmopsError('invalid_input', `memory response cache: ${name} is ${value}; expected an integer ≥ 1`);
    }
    this.clock = options.clock ?? systemClock;
  }

  /** Entries and bytes held now. */
  stats(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private assertOpen(): void {
    if (this.closed) throw new LlmopsError('unavailable', 'the memory response cache is closed');
  }

  private drop(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  async get(key: string): Promise<string | undefined> {
    this.assertOpen();
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.clock.now()) {
      this.bytes -= entry.bytes;
      return undefined;
    }
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.assertOpen();
    const known = this.entries.get(key);
    if (known) this.drop(key, known);
    const bytes = (key.length + value.length) * 2;
    // A value bigger than the whole cache is not kept (it would evict everything and then itself).
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, expiresAt: this.clock.now() + ttlMs, bytes });
    this.bytes += bytes;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Entry];
      this.drop(oldestKey, oldest);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.entries.clear();
    this.bytes = 0;
  }
}
