import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../cli-io.js';
import type { JobCatalog } from '../jobs/job-catalog.js';
import { confSchemas, defaultSchemaFolder, schemaText } from '../confs/conf-schemas.js';
import { printResult } from '../registry/command-helpers.js';

/**
 * `llmops confs schema [--out DIR]`: writes the JSON Schemas of every job kind, of any job conf and of a model spec
 * (default `confs/schemas/`), for editor completion of conf files.
 */
export function registerConfsCommand(
  program: Command,
  options: { context: () => CommandContext; catalog: () => Promise<JobCatalog> },
): void {
  const confs = program.command('confs').description('work with conf files');
  confs
    .command('schema')
    .description('write JSON Schemas of every job kind and the model spec, for editor completion')
    .option('--out <dir>', 'the folder to write them to', defaultSchemaFolder)
    .action(async (commandOptions: { out: string }) => {
      const context = options.context();
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
