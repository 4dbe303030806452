import { z } from 'zod';
import { formatModelSpec } from '@llmops/providers';
import type { ModelResolver } from '../../../ports.js';
import { functionTool } from '../agent-tool.js';
import type { AgentTool } from '../agent-tool.js';

const lookupArguments = z.strictObject({
  model: z.string().min(1).max(200).describe('A registered model: name, name@alias or name/version'),
});

/**
 * The `registry_lookup` tool: what a registered model version is (version, description, provider,
 * pipeline, pinned prompt, guardrails), as JSON, through serving's {@link ModelResolver} port; with
 * `model: "*"` the list of registered models and their aliases.
 */
export function registryLookupTool(
  spec: { name: string; description?: string | undefined },
  models: ModelResolver,
): AgentTool {
  const description =
    spec.description ??
    'Looks up a registered model version (provider, pipeline, pinned prompt, guardrails); "*" lists the models and their aliases.';
  return {
    name: spec.name,
    kind: 'registry_lookup',
    arguments: lookupArguments,
    definition: functionTool({ name: spec.name, description, arguments: lookupArguments }),
    async run(args) {
      const { model: reference } = args as z.output<typeof lookupArguments>;
      if (reference.trim() === '*') {
        const listing = await models.list();
        return JSON.stringify(
          listing.map((model) => ({ name: model.name, latest_version: model.latestVersion, aliases: model.aliases })),
        );
      }
      const model = await models.resolve(reference.trim());
      return JSON.stringify({
        model: `${model.name}/${model.version}`,
        description: model.description,
        provider: formatModelSpec(model.provider),
        pipeline: model.pipeline.kind,
        prompt: model.pipeline.prompt?.reference ?? null,
        guardrails: model.guardrails,
        tags: model.tags,
      });
    },
  };
}
