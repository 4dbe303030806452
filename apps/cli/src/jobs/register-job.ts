import { corpusOfSpec } from '@llmops/composition';
import { dataRootsOf } from '@llmops/kernel';
import { z } from 'zod';
import { gitCommit } from '../registry/git-commit.js';
import { withRegistry } from '../registry/open-registry.js';
import { readModelSpecFile, readPromptTemplateFile } from '../registry/registry-files.js';
import type { JobKind } from './job-kind.js';

const registerSchema = z
  .strictObject({
    kind: z.literal('register'),
    /** Prompts to register, each from a template file; registered before the models that use them. */
    prompts: z
      .array(
        z.strictObject({
          name: z.string().min(1),
          templateFile: z.string().min(1),
          message: z.string().optional(),
          tags: z.record(z.string(), z.string()).optional(),
          aliases: z.array(z.string()).default([]),
        }),
      )
      .default([]),
    /** Model spec files to register. */
    models: z.array(z.strictObject({ file: z.string().min(1), aliases: z.array(z.string()).default([]) })).default([]),
  })
  .refine((job) => job.prompts.length + job.models.length > 0, {
    error: 'nothing to register; list prompts: and/or models:',
  });

/** What one registration did, in the job's result. */
interface Registered {
  kind: 'prompt' | 'model';
  name: string;
  version: number;
  created: boolean;
  aliases: string[];
}

/**
 * `kind: register`: registers prompts and then models from confs. Idempotent: unchanged content
 * creates no new version, so re-running it is safe (aliases already in place are left as they are).
 */
export const registerJob: JobKind<typeof registerSchema> = {
  kind: 'register',
  description: 'registers prompts and model specs from confs (idempotent)',
  schema: registerSchema,
  run: async (job, context) => {
    const commit = gitCommit(context.io.cwd);
    // Read every file before writing anything, so a bad file registers nothing.
    const prompts = job.prompts.map((prompt) => ({
      ...prompt,
      template: readPromptTemplateFile(prompt.templateFile, context.io),
    }));
    const models = job.models.map((model) => ({ ...model, ...readModelSpecFile(model.file, context.io) }));
    const results = await withRegistry(context, async (registry) => {
      const done: Registered[] = [];
      for (const prompt of prompts) {
        const registration = await registry.registerPrompt({
          name: prompt.name,
          template: prompt.template,
          aliases: prompt.aliases,
          ...(prompt.message ? { message: prompt.message } : {}),
          ...(prompt.tags ? { tags: prompt.tags } : {}),
        });
        const entry: Registered = {
          kind: 'prompt',
          name: prompt.name,
          version: registration.version.version,
          created: registration.created,
          aliases: registration.aliases.map((move) => move.alias),
        };
        context.progress(
          `prompt ${entry.name}: version ${entry.version}${entry.created ? ' registered' : ' unchanged'}`,
        );
        done.push(entry);
      }
      for (const model of models) {
        const registration = await registry.registerModel({
          spec: model.spec,
          source: { file: model.file, text: model.text },
          ...(await corpusOfSpec(model.spec, { cwd: context.io.cwd, dataRoots: dataRootsOf(context.io.env) })),
          aliases: model.aliases,
          ...(commit ? { gitCommit: commit } : {}),
        });
        const { version } = registration;
        const entry: Registered = {
          kind: 'model',
          name: version.name,
          version: version.version,
          created: registration.created,
          aliases: registration.aliases.map((move) => move.alias),
        };
        context.progress(
          `model ${entry.name}: version ${entry.version}${entry.created ? ' registered' : ' unchanged'} (${model.file})`,
        );
        done.push(entry);
      }
      return done;
    });
    const created = results.filter((entry) => entry.created).length;
    return {
      kind: 'register',
      summary: `${prompts.length} prompt(s) and ${models.length} model(s): ${created} new version(s), ${results.length - created} unchanged`,
      data: results,
    };
  },
};
