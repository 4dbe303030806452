import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../cli-io.js';
import type { JobCatalog } from '../jobs/job-catalog.js';
import { defaultSchemaFolder } from '../confs/schema-folder.js';
import { printResult } from '../registry/command-helpers.js';

/**
 * `llmops confs schema [--out DIR]`: writes the JSON Schemas of every job kind, of any job conf, of a model spec and
 * of the deployment files (credentials, gates, guardrails, monitoring, pricing, promotion policy, llmops.yaml; default
 * `confs/schemas/`), for editor completion of conf files.
 */
export function registerConfsCommand(
  program: Command,
  options: { context: () => CommandContext; catalog: () => Promise<JobCatalog> },
): void {
  const confs = program.command('confs').description('work with conf files');
  confs
    .command('schema')
    .description('write JSON Schemas of every job kind, the model spec and the deployment files, for editor completion')
    .option('--out <dir>', 'the folder to write them to', defaultSchemaFolder)
    .action(async (commandOptions: { out: string }) => {
      const context = options.context();
      // The schemas import every context's package: loaded when the command runs, not for `confs --help`.
      const { confSchemas, schemaText } = await import('../confs/conf-schemas.js');
      const folder = resolve(context.io.cwd, commandOptions.out);
      mkdirSync(folder, { recursive: true });
      const files: string[] = [];
      for (const [file, schema] of confSchemas(await options.catalog())) {
        writeFileSync(join(folder, file), schemaText(schema));
        files.push(join(commandOptions.out, file));
      }
      printResult(context, {
        value: { folder, files },
        text: () =>
          `wrote ${files.length} JSON Schemas to ${commandOptions.out}:\n${files.map((file) => `  ${file}\n`).join('')}`,
      });
    });
}
