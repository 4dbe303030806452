import { z } from 'zod';
import { credentialsFileSchema, modelSpecSchema, providerModelSchema, workspaceFileSchema } from '@llmops/kernel';
import { gateFileSchema } from '@llmops/evaluation';
import { monitoringConfSchema, reevaluationSettingsSchema } from '@llmops/monitoring';
import { pricingFileSchema } from '@llmops/providers';
import { promotionCriterionSchema, promotionPolicySchema } from '@llmops/registry';
import { guardrailsFileSchema } from '@llmops/serving';
import type { JobCatalog } from '../jobs/job-catalog.js';

export { defaultSchemaFolder } from './schema-folder.js';

/** The JSON Schema file of a job kind's conf (`job-evaluate.schema.json`). */
export function jobSchemaFile(kind: string): string {
  return `job-${kind}.schema.json`;
}

/** The JSON Schema file of any job conf, and of a model spec. */
export const anyJobSchemaFile = 'job.schema.json';
export const modelSpecSchemaFile = 'model-spec.schema.json';

/**
 * The other files a deployment writes (provider credentials, and what the server, the gates and promotion read), by
 * JSON Schema file name: their zod schema, the conf they describe and what it is for.
 */
export const deploymentFileSchemas: ReadonlyArray<{
  file: string;
  conf: string;
  schema: z.ZodType;
  description: string;
}> = [
  {
    file: 'credentials.schema.json',
    conf: 'confs/credentials.yaml',
    schema: credentialsFileSchema,
    description:
      'The provider keys a deployment allows, each bound to the hosts it may be sent to (names of variables, never keys).',
  },
  {
    file: 'gates.schema.json',
    conf: 'confs/gates.yaml',
    schema: gateFileSchema,
    description: 'The quality gates of an evaluation (`--gate`, the evaluate job).',
  },
  {
    file: 'guardrails.schema.json',
    conf: 'confs/guardrails.yaml',
    schema: guardrailsFileSchema,
    description:
      'The guardrail policies the server applies on input, retrieved passages and output (`llmops serve --guardrails`).',
  },
  {
    file: 'monitoring.schema.json',
    conf: 'confs/monitoring.yaml',
    schema: monitoringConfSchema,
    description:
      'The SLOs, drift, online evaluation and alerts of served traffic (the server and the monitor job read it).',
  },
  {
    file: 'pricing.schema.json',
    conf: 'confs/pricing.yaml',
    schema: pricingFileSchema,
    description: 'Prices per million tokens of each provider model, for the cost of answers and budgets.',
  },
  {
    file: 'promotion-policy.schema.json',
    conf: 'confs/promotion-policy.yaml',
    schema: promotionPolicySchema,
    description: 'What an evaluation must show before a version may take an alias (`llmops serve --policy`, promote).',
  },
  {
    file: 'workspace.schema.json',
    conf: 'llmops.yaml',
    schema: workspaceFileSchema,
    description: 'The workspace file: marks the project folder and may name its store.',
  },
];

/**
 * Values zod reads in a short form before validating (`z.preprocess`), which JSON Schema cannot derive: the forms a
 * person may write, besides the object (or list) zod validates.
 */
const shortForms = new Map<unknown, (validated: Record<string, unknown>) => Record<string, unknown>[]>([
  [
    providerModelSchema,
    () => [
      { type: 'string', pattern: '^[A-Za-z0-9_-]+/.+$', description: '<provider>/<model>, e.g. offline/extractive' },
    ],
  ],
  [
    promotionCriterionSchema,
    () => [{ type: 'string', description: '<metric> <operator> <number>, e.g. "faithfulness.mean >= 0.9"' }],
  ],
  // One re-evaluation dataset may be written alone instead of as a list of one.
  [
    reevaluationSettingsSchema,
    (validated) => (validated['items'] ? [validated['items'] as Record<string, unknown>] : []),
  ],
]);

function jsonSchema(schema: z.ZodType, options: { title: string; description: string }): Record<string, unknown> {
  // Confs are written by people, so the schema describes what may be written (`input`): defaults make keys optional.
  const generated = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
    override: (context) => {
      const forms = shortForms.get(context.zodSchema);
      if (!forms) return;
      const validated = { ...context.jsonSchema };
      for (const key of Object.keys(context.jsonSchema)) delete context.jsonSchema[key];
      context.jsonSchema.anyOf = [...forms(validated), validated];
    },
  });
  const { $schema, ...rest } = generated as Record<string, unknown>;
  return { $schema, title: options.title, description: options.description, ...rest };
}

/**
 * The JSON Schemas of every job kind's conf file (`{job: {kind, …}}`), of any job conf, of a model spec and of the
 * {@link deploymentFileSchemas}, by file name, generated from the zod schemas `llmops run` and the registry validate with. Editors use them for completion
 * and checks (`# yaml-language-server: $schema=…`); llmops itself validates with zod, whose messages name the file and
 * line. `${env:VAR}` placeholders in a non-string field are flagged by editors though llmops accepts them.
 */
export function confSchemas(catalog: JobCatalog): Map<string, Record<string, unknown>> {
  const schemas = new Map<string, Record<string, unknown>>();
  for (const [kind, jobKind] of [...catalog.kinds].sort(([a], [b]) => a.localeCompare(b))) {
    schemas.set(
      jobSchemaFile(kind),
      jsonSchema(z.strictObject({ job: jobKind.schema }), {
        title: `llmops ${kind} job`,
        description: `A conf for \`llmops run\` with one job of kind ${kind}: ${jobKind.description}.`,
      }),
    );
  }
  schemas.set(
    anyJobSchemaFile,
    jsonSchema(catalog.confSchema, {
      title: 'llmops job',
      description: 'A conf for `llmops run`: one job of any kind.',
    }),
  );
  schemas.set(
    modelSpecSchemaFile,
    jsonSchema(modelSpecSchema, {
      title: 'llmops model spec',
      description: 'A model version as `llmops models register --file` and register jobs read it.',
    }),
  );
  for (const entry of deploymentFileSchemas)
    schemas.set(entry.file, jsonSchema(entry.schema, { title: entry.conf, description: entry.description }));
  return schemas;
}

/** A schema as written to its file: two-space JSON and a final newline. */
export function schemaText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
