import type { ModelList } from '@llmops/kernel';
import type { ServableModelListing } from '../ports.js';

/**
 * The `GET /v1/models` body for registered models: one entry per model (`name`, its latest
 * version) and one per alias (`name@alias`), each usable as `model` in a chat request, with the
 * version it points to under `llmops`.
 */
export function toModelList(models: readonly ServableModelListing[], options: { owner?: string } = {}): ModelList {
  const owner = options.owner ?? 'llmops';
  const data = models
    .slice()
    .sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0))
    .flatMap((model) => {
      const created = Math.floor((model.createdAt ?? 0) / 1000);
      const entry = (id: string, version: number) => ({
        id,
        object: 'model' as const,
        created,
        owned_by: owner,
        llmops: { name: model.name, version },
      });
      const aliases = Object.entries(model.aliases).sort(([left], [right]) =>
        left < right ? -1 : left > right ? 1 : 0,
      );
      return [
        entry(model.name, model.latestVersion),
        ...aliases.map(([alias, version]) => entry(`${model.name}@${alias}`, version)),
      ];
    });
  return { object: 'list', data };
}
