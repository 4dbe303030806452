import type { Command } from 'commander';
import type { CommandContext } from '../cli-io.js';
import type { withRegistry as WithRegistry } from '../registry/open-registry.js';
import { collect, parseVersionArgument, printResult } from '../registry/command-helpers.js';
import { formatAliasMove, formatAudit, formatSubjects } from '../registry/registry-output.js';

/** `withRegistry`, its module (the registry and its stores) imported on the first call: `llmops prompts --help` loads none of it. */
async function withRegistry<Result>(...args: Parameters<typeof WithRegistry<Result>>): Promise<Result> {
  return (await import('../registry/open-registry.js')).withRegistry(...args);
}

/**
 * `llmops prompts register|list|show|alias set|alias delete|audit`: the prompts of the registry on
 * the store of `--store`.
 */
export function registerPromptsCommand(program: Command, options: { context: () => CommandContext }): void {
  const prompts = program.command('prompts').description('register, list and show prompts, and move their aliases');

  prompts
    .command('register')
    .description('register a new version of a prompt from a template file (unchanged content creates no new version)')
    .argument('<name>', 'prompt name (A-Z a-z 0-9 _ . -)')
    .requiredOption(
      '--template-file <file>',
      'the template: text with {{variable}} placeholders, or .yaml with chat messages',
    )
    .option('--message <text>', 'what changed, like a commit message')
    .option('--alias <alias>', 'point this alias at the version (repeatable)', collect, [])
    .action(async (name: string, commandOptions: { templateFile: string; message?: string; alias: string[] }) => {
      const context = options.context();
      const template = (await import('../registry/registry-files.js')).readPromptTemplateFile(
        commandOptions.templateFile,
        context.io,
      );
      const registration = await withRegistry(context, (registry) =>
        registry.registerPrompt({
          name,
          template,
          aliases: commandOptions.alias,
          ...(commandOptions.message ? { message: commandOptions.message } : {}),
        }),
      );
      const { version } = registration;
      printResult(context, {
        value: {
          name: version.name,
          version: version.version,
          created: registration.created,
          variables: version.variables,
          aliases: registration.aliases,
        },
        text: () =>
          (registration.created
            ? `registered prompt ${version.name} version ${version.version} (variables: ${version.variables.join(', ') || 'none'})\n`
            : `prompt ${version.name} unchanged: version ${version.version} has this template\n`) +
          registration.aliases.map(formatAliasMove).join(''),
      });
    });

  prompts
    .command('list')
    .description('list prompts with their newest version and aliases')
    .action(async () => {
      const context = options.context();
      const list = await withRegistry(context, (registry) => registry.listPrompts());
      printResult(context, { value: list, text: () => formatSubjects(list, 'no prompts registered') });
    });

  prompts
    .command('show')
    .description('show the prompt version a reference points to')
    .argument('<ref>', 'name, name@alias or name/version')
    .action(async (reference: string) => {
      const context = options.context();
      const shown = await withRegistry(context, (registry) => registry.showPrompt(reference));
      printResult(context, {
        value: shown,
        text: () => {
          const template =
            typeof shown.template === 'string'
              ? shown.template
              : shown.template.map((message) => `[${message.role}]\n${message.content}`).join('\n\n');
          return (
            `prompt ${shown.name} version ${shown.version}${shown.aliases.length > 0 ? ` (aliases: ${shown.aliases.join(', ')})` : ''}\n` +
            `created ${new Date(shown.createdAt).toISOString()} by ${shown.author}${shown.message ? `: ${shown.message}` : ''}\n` +
            `variables: ${shown.variables.join(', ') || 'none'}\n` +
            `content hash: ${shown.contentHash}\n\n${template.endsWith('\n') ? template : `${template}\n`}`
          );
        },
      });
    });

  const alias = prompts.command('alias').description('set or delete an alias of a prompt (audited, compare-and-set)');
  alias
    .command('set')
    .description('point an alias of a prompt at a version')
    .argument('<name>', 'prompt name')
    .argument('<alias>', 'alias name (A-Z a-z 0-9 _ -)')
    .argument('<version>', 'version number')
    .option('--reason <text>', 'why, kept in the audit trail')
    .action(
      async (...[name, aliasName, versionText, commandOptions]: [string, string, string, { reason?: string }]) => {
        const context = options.context();
        const version = parseVersionArgument(versionText);
        const move = await withRegistry(context, (registry) =>
          registry.setAlias({
            kind: 'prompt',
            name,
            alias: aliasName,
            version,
            ...(commandOptions.reason ? { reason: commandOptions.reason } : {}),
          }),
        );
        printResult(context, { value: move, text: () => formatAliasMove(move) });
      },
    );
  alias
    .command('delete')
    .description('delete an alias of a prompt')
    .argument('<name>', 'prompt name')
    .argument('<alias>', 'alias name')
    .option('--reason <text>', 'why, kept in the audit trail')
    .action(async (name: string, aliasName: string, commandOptions: { reason?: string }) => {
      const context = options.context();
      const move = await withRegistry(context, (registry) =>
        registry.deleteAlias({
          kind: 'prompt',
          name,
          alias: aliasName,
          ...(commandOptions.reason ? { reason: commandOptions.reason } : {}),
        }),
      );
      printResult(context, { value: move, text: () => formatAliasMove(move) });
    });

  prompts
    .command('audit')
    .description('list the alias changes of a prompt, oldest first')
    .argument('<name>', 'prompt name')
    .action(async (name: string) => {
      const context = options.context();
      const entries = await withRegistry(context, (registry) => registry.audit('prompt', name));
      printResult(context, { value: entries, text: () => formatAudit(entries, `prompt ${name}`) });
    });
}
