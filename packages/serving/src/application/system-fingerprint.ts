import { createHash } from 'node:crypto';
import { formatModelSpec } from '@llmops/providers';
import type { ServableModel } from '../ports.js';

/**
 * The `system_fingerprint` of a served answer, streamed or not: the upstream's when it reports
 * one, otherwise a stable one of the model version, `fp_` and 10 hex characters of a hash of its
 * `name/version` and provider (so it changes exactly when the serving configuration does).
 */
export function systemFingerprint(
  model: Pick<ServableModel, 'name' | 'version' | 'provider'>,
  reported?: string | null,
): string {
  if (typeof reported === 'string' && reported !== '') return reported;
  const hash = createHash('sha256').update(`${model.name}/${model.version} ${formatModelSpec(model.provider)}`);
  return `fp_${hash.digest('hex').slice(0, 10)}`;
}
