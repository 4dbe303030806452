import type { Clock } from '@llmops/kernel';

/** Options of {@link ResolutionCache}. */
export interface ResolutionCacheOptions {
  clock: Clock;
  /** How long an entry lives; `Infinity` for a local store, whose changes are seen otherwise. */
  ttlMs: number;
  /** Reads a number that changes when another process wrote to the store (SQLite's `data_version`). */
  changeMarker?: () => number;
  /**
   * How often the change marker is read, in ms: at most once per interval, on a lookup; lookups in between trust
   * the last reading. Another process's write is therefore seen within this window. 1 000 by default; 0 reads it
   * on every lookup.
   */
  changeCheckIntervalMs?: number;
  /** Most entries kept; the cache is emptied when it would grow past this. */
  maxEntries?: number;
}

/** How often the store's change marker is read by default: another process's write is seen within 1 s. */
export const defaultChangeCheckIntervalMs = 1_000;

interface Entry {
  value: unknown;
  storedAt: number;
  marker: number;
}

function deepFreeze<Value>(value: Value): Value {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * The in-process cache of resolved references (`name@alias`, `name/7`, `name` → a version). Local
 * writes clear it; another process's writes are seen through the store's change marker, read at most
 * once per `changeCheckIntervalMs` (not once per lookup); remote stores rely on a short TTL. Cached values are frozen, since every caller shares them.
 */
export class ResolutionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly changeCheckIntervalMs: number;
  private lastMarker = 0;
  private lastCheckedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ResolutionCacheOptions) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.changeCheckIntervalMs = options.changeCheckIntervalMs ?? defaultChangeCheckIntervalMs;
  }

  /** The cached value for `key`, or undefined when there is none or it is stale. */
  get<Value>(key: string): Value | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const fresh =
      this.options.clock.monotonic() - entry.storedAt < this.options.ttlMs &&
      (this.options.changeMarker === undefined || this.currentMarker() === entry.marker);
    if (fresh) return entry.value as Value;
    this.entries.delete(key);
    return undefined;
  }

  /** Caches `value` (frozen) under `key`; `marker` is the change marker read before the value was loaded. */
  set<Value>(key: string, value: Value, marker: number): Value {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value: deepFreeze(value), storedAt: this.options.clock.monotonic(), marker });
    return value;
  }

  /** The store's change marker now (0 when it has none), read before loading a value to cache. */
  marker(): number {
    if (this.options.changeMarker === undefined) return 0;
    this.lastMarker = this.options.changeMarker();
    this.lastCheckedAt = this.options.clock.monotonic();
    return this.lastMarker;
  }

  /** Forgets everything (after a local write). */
  clear(): void {
    this.entries.clear();
  }

  /** The change marker as last read, read again once `changeCheckIntervalMs` has passed. */
  private currentMarker(): number {
    if (this.options.clock.monotonic() - this.lastCheckedAt < this.changeCheckIntervalMs) return this.lastMarker;
    return this.marker();
  }

  /** Number of entries held. */
  get size(): number {
    return this.entries.size;
  }
}
