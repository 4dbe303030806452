import { LlmopsError } from '@llmops/kernel';
import type { ServableModel } from '../ports.js';

/** Versions a fallback chain may reach at most, counted over the whole walk: a bound on work, not a rule of specs. */
const maxVersionsWalked = 64;

/** `name/version` of a model version. */
export function versionOf(model: Pick<ServableModel, 'name' | 'version'>): string {
  return `${model.name}/${model.version}`;
}

/**
 * Refuses a version whose fallback chain leads back to a version already on the way (`a/1 → b/2 → a/1`):
 * follows every fallback reference as it resolves now, depth first. A reference that does not resolve is
 * skipped (serving skips it too when it falls back); a cycle is an error whichever way the aliases point.
 * @throws LlmopsError `invalid_input` naming the cycle and the references that make it.
 */
export async function assertNoFallbackCycle(
  model: ServableModel,
  resolve: (reference: string) => Promise<ServableModel>,
): Promise<void> {
  const resolved = new Map<string, ServableModel | undefined>();
  const cleared = new Set<string>();
  const lookup = async (reference: string): Promise<ServableModel | undefined> => {
    if (resolved.has(reference)) return resolved.get(reference);
    const found = await resolve(reference).catch(() => undefined);
    resolved.set(reference, found);
    return found;
  };
  /** `versions`: the chain from the version asked for to `current`; `trail`: the same, with the references followed. */
  const walk = async (current: ServableModel, versions: string[], trail: string[]): Promise<void> => {
    const version = versionOf(current);
    if (cleared.has(version) || cleared.size >= maxVersionsWalked) return;
    for (const reference of current.fallbacks) {
      const next = await lookup(reference);
      if (!next) continue;
      const nextVersion = versionOf(next);
      const nextTrail = [...trail, `${nextVersion} (${reference})`];
      if (versions.includes(nextVersion)) {
        throw new LlmopsError(
          'invalid_input',
          `model ${versionOf(model)}: its fallback chain ${nextTrail.join(' -> ')} leads back to a version already ` +
            'in it; a fallback must lead to other versions; remove one of these references from its spec',
          { details: { param: 'model', cycle: nextTrail } },
        );
      }
      await walk(next, [...versions, nextVersion], nextTrail);
    }
    cleared.add(version);
  };
  await walk(model, [versionOf(model)], [versionOf(model)]);
}
