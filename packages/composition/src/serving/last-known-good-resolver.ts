import { LlmopsError, systemClock } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';
import type { ModelResolver, ServableModel, ServableModelListing } from '@llmops/serving';

/** Error codes that say the store could not be reached (as opposed to an answer such as `not_found`). */
const outageCodes = new Set(['unavailable', 'timeout', 'upstream_error']);

/** Whether an error says the store is unreachable. */
export function isStoreOutage(error: unknown): boolean {
  return outageCodes.has(LlmopsError.fromUnknown(error).code);
}

/** The store outage a {@link LastKnownGoodResolver} is riding out. */
export interface StoreOutage {
  /** Why the store was last unreachable (the error's message: it names the store, never a credential). */
  reason: string;
  /** When the outage was first seen (epoch ms). */
  since: number;
  /** References answered from the last known state since the outage began. */
  servedFromLastKnown: number;
}

/** Options of {@link LastKnownGoodResolver}. */
export interface LastKnownGoodResolverOptions {
  clock?: Clock;
  /** First wait before the store is asked again after a failure, in ms; doubles per failure. 1 000 by default. */
  initialBackoffMs?: number;
  /** Longest wait between two attempts, in ms. 30 000 by default. */
  maxBackoffMs?: number;
  /** Called once when an outage begins and once when it ends. */
  onChange?: (outage: StoreOutage | undefined) => void;
  /**
   * Longest wait for the store when the reference is remembered, in ms; 5 000 by default. A store that takes the
   * connection and never answers would otherwise hold the request for the client's whole timeout (30 s × 3 attempts
   * for MLflow): past this wait the remembered version answers, the store's call goes on and counts when it ends.
   */
  patienceMs?: number;
}

/**
 * A {@link ModelResolver} that keeps serving through an outage of the registry's store (an MLflow server that went
 * away): every reference it resolved (pinned versions, aliases, latest) and the last model list are remembered; while
 * the store is unreachable (`unavailable`, `timeout`, `upstream_error`, or no answer within `patienceMs` for a
 * remembered reference) those answer from memory, so the pipelines already built keep serving. The store is asked again with back-off (1 s, 2 s, 4 s… up to 30 s): between two
 * attempts, known references are answered at once without waiting for a store that is down, so an alias moved during
 * the outage is seen at the first successful attempt. Unknown references, and errors that are answers (`not_found`,
 * `invalid_input`), are thrown as before.
 */
export class LastKnownGoodResolver implements ModelResolver {
  private readonly known = new Map<string, ServableModel>();
  private knownList: ServableModelListing[] | undefined;
  private current: StoreOutage | undefined;
  private failures = 0;
  private nextAttemptAt = 0;
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly patienceMs: number;

  constructor(
    private readonly inner: ModelResolver,
    private readonly options: LastKnownGoodResolverOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.initialBackoffMs = options.initialBackoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.patienceMs = options.patienceMs ?? 5_000;
  }

  /** The outage being ridden out, or undefined while the store answers. */
  outage(): StoreOutage | undefined {
    return this.current ? { ...this.current } : undefined;
  }

  /** How many references are remembered (a degraded server can answer these). */
  get knownReferences(): number {
    return this.known.size;
  }

  async resolve(reference: string): Promise<ServableModel> {
    return this.throughStore(
      () => this.inner.resolve(reference),
      (model) => this.known.set(reference, model),
      () => this.known.get(reference),
    );
  }

  async list(): Promise<ServableModelListing[]> {
    return this.throughStore(
      () => this.inner.list(),
      (list) => {
        this.knownList = list;
      },
      () => this.knownList,
    );
  }

  private async throughStore<Value>(
    load: () => Promise<Value>,
    remember: (value: Value) => void,
    lastKnown: () => Value | undefined,
  ): Promise<Value> {
    const remembered = lastKnown();
    if (this.current && remembered !== undefined && this.clock.monotonic() < this.nextAttemptAt) {
      this.current.servedFromLastKnown += 1;
      return remembered;
    }
    let late = false;
    const attempt = load().then(
      (value) => {
        remember(value);
        this.recovered();
        return value;
      },
      (error: unknown) => {
        // A late failure was counted when the wait ran out.
        if (!late && isStoreOutage(error)) this.failed(error);
        throw error;
      },
    );
    try {
      const value = remembered === undefined ? await attempt : await this.withinPatience(attempt);
      if (value !== undefined) return value;
      late = true;
      // The call goes on: its answer is remembered (and ends the outage) whenever it comes.
      attempt.catch(() => undefined);
      this.failed(
        new LlmopsError('timeout', `the registry store did not answer within ${this.patienceMs} ms`, {
          retryable: true,
        }),
      );
    } catch (error) {
      if (!isStoreOutage(error) || remembered === undefined) throw error;
    }
    (this.current as StoreOutage).servedFromLastKnown += 1;
    return remembered as Value;
  }

  /** The attempt's value, or undefined once `patienceMs` has passed without it. */
  private async withinPatience<Value>(attempt: Promise<Value>): Promise<Value | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.patienceMs);
    });
    try {
      return await Promise.race([attempt, patience]);
    } finally {
      clearTimeout(timer);
    }
  }

  private failed(error: unknown): void {
    const reason = LlmopsError.fromUnknown(error).message;
    const backoff = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(this.failures, 20));
    this.failures += 1;
    this.nextAttemptAt = this.clock.monotonic() + backoff;
    if (this.current) {
      this.current.reason = reason;
      return;
    }
    this.current = { reason, since: this.clock.now(), servedFromLastKnown: 0 };
    this.options.onChange?.(this.outage());
  }

  private recovered(): void {
    this.failures = 0;
    this.nextAttemptAt = 0;
    if (!this.current) return;
    this.current = undefined;
    this.options.onChange?.(undefined);
  }
}
