import { z } from 'zod';
import { modelSpecSchema, providerModelSchema } from '@llmops/kernel';
import type { JobCatalog } from '../jobs/job-catalog.js';

/** The folder `llmops confs schema` writes to by default, and the shipped YAML files point to. */
export const defaultSchemaFolder = 'confs/schemas';

/** The JSON Schema file of a job kind's conf (`job-evaluate.schema.json`). */
export function jobSchemaFile(kind: string): string {
  return `job-${kind}.schema.json`;
}

/** The JSON Schema file of any job conf, and of a model spec. */
export const anyJobSchemaFile = 'job.schema.json';
export const modelSpecSchemaFile = 'model-spec.schema.json';

function jsonSchema(schema: z.ZodType, options: { title: string; description: string }): Record<string, unknown> {
  // Confs are written by people, so the schema describes what may be written (`input`): defaults make keys optional.
  const generated = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
    override: (context) => {
      // A chat model is written `<provider>/<model>` or as an object; zod reads the text form before validating.
      if (context.zodSchema !== providerModelSchema) return;
      const objectForm = { ...context.jsonSchema };
      for (const key of Object.keys(context.jsonSchema)) delete context.jsonSchema[key];
      context.jsonSchema.anyOf = [
        { type: 'string', pattern: '^[A-Za-z0-9_-]+/.+$', description: '<provider>/<model>, e.g. offline/extractive' },
        objectForm,
      ];
    },
  });
  const { $schema, ...rest } = generated as Record<string, unknown>;
  return { $schema, title: options.title, description: options.description, ...rest };
}

/**
 * The JSON Schemas of every job kind's conf file (`{job: {kind, …}}`), of any job conf, and of a model spec, by file
 * name, generated from the zod schemas `llmops run` and the registry validate with. Editors use them for completion
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
  return schemas;
}

/** A schema as written to its file: two-space JSON and a final newline. */
export function schemaText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
