import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { dataRootsOf, LlmopsError } from '@llmops/kernel';
import type { ModelVersionView, PromotionPolicy } from '@llmops/registry';
import type { CommandContext } from '../cli-io.js';
import { collect, parseVersionArgument, printResult } from '../registry/command-helpers.js';
import { gitCommit } from '../registry/git-commit.js';
import { formatAliasMove, formatAudit, formatPromotion, formatSubjects } from '../registry/registry-output.js';

/**
 * The registry, its files and the corpus helper, imported when a subcommand runs: `llmops models --help` loads none
 * of the packages behind them.
 */
async function loadRegistry() {
  const [registry, files, composition] = await Promise.all([
    import('../registry/open-registry.js'),
    import('../registry/registry-files.js'),
    import('@llmops/composition'),
  ]);
  return {
    withRegistry: registry.withRegistry,
    readModelSpecFile: files.readModelSpecFile,
    readPromotionPolicyFile: files.readPromotionPolicyFile,
    corpusOfSpec: composition.corpusOfSpec,
  };
}

/** The policy `models promote` uses when `--policy` is not given. */
export const defaultPolicyFile = 'confs/promotion-policy.yaml';

/**
 * The promotion policy of a promote command: `--policy FILE`, else `confs/promotion-policy.yaml`
 * when it exists; none when forcing without one.
 * @throws LlmopsError `invalid_input` when no policy can be found and the promotion is not forced.
 */
export async function choosePolicy(
  context: CommandContext,
  options: { policy?: string; force: boolean },
): Promise<PromotionPolicy | undefined> {
  const { readPromotionPolicyFile } = await loadRegistry();
  if (options.policy) return readPromotionPolicyFile(options.policy, context.io);
  if (existsSync(resolve(context.io.cwd, defaultPolicyFile)))
    return readPromotionPolicyFile(defaultPolicyFile, context.io);
  if (options.force) return undefined;
  throw new LlmopsError(
    'invalid_input',
    `no promotion policy: ${defaultPolicyFile} not found; pass --policy FILE (or --force --reason TEXT)`,
  );
}

function formatModel(shown: ModelVersionView): string {
  const { spec, lineage } = shown;
  const pipeline = spec.pipeline;
  const details =
    pipeline.kind === 'rag'
      ? `, corpus ${pipeline.corpus}, k ${pipeline.retrieval.k}, token budget ${pipeline.tokenBudget}`
      : pipeline.kind === 'agent'
        ? `, agents ${pipeline.agents.map((agent) => agent.name).join(' ')}, tools ${pipeline.tools.map((tool) => tool.name).join(' ') || '-'}, team ${pipeline.team?.kind ?? '-'}`
        : '';
  const source = lineage.source ? `${lineage.source.file} (${lineage.source.contentHash})` : '-';
  const evidence =
    shown.evidence.map((link) => `${link.runId} on ${link.dataset}: ${link.verdict}`).join('; ') || 'none';
  return [
    `model ${shown.name} version ${shown.version}${shown.aliases.length > 0 ? ` (aliases: ${shown.aliases.join(', ')})` : ''}`,
    `created ${new Date(shown.createdAt).toISOString()} by ${shown.author}`,
    `provider: ${spec.provider.provider}/${spec.provider.model}`,
    `pipeline: ${pipeline.kind}, prompt ${pipeline.prompt}${details}`,
    `content hash: ${shown.contentHash}`,
    `source: ${source}${lineage.gitCommit ? `, git ${lineage.gitCommit}` : ''}`,
    `evidence: ${evidence}`,
    `spec: ${JSON.stringify(spec, null, 2)}`,
    '',
  ].join('\n');
}

/**
 * `llmops models register|list|show|promote|rollback|audit`: the LLM model versions of the registry
 * on the store of `--store`.
 */
export function registerModelsCommand(program: Command, options: { context: () => CommandContext }): void {
  const models = program.command('models').description('register, list, show, promote and roll back model versions');

  models
    .command('register')
    .description('register a model version from a spec file (unchanged content creates no new version)')
    .requiredOption('--file <spec>', 'the model spec YAML (see confs/models/)')
    .option(
      '--alias <alias>',
      'point this alias at the version (repeatable; champion moves only by promote)',
      collect,
      [],
    )
    .action(async (commandOptions: { file: string; alias: string[] }) => {
      const context = options.context();
      const { withRegistry, readModelSpecFile, corpusOfSpec } = await loadRegistry();
      const { spec, text } = readModelSpecFile(commandOptions.file, context.io);
      const commit = gitCommit(context.io.cwd);
      const corpus = await corpusOfSpec(spec, { cwd: context.io.cwd, dataRoots: dataRootsOf(context.io.env) });
      const registration = await withRegistry(context, (registry) =>
        registry.registerModel({
          spec,
          source: { file: commandOptions.file, text },
          ...corpus,
          aliases: commandOptions.alias,
          ...(commit ? { gitCommit: commit } : {}),
        }),
      );
      const { version } = registration;
      printResult(context, {
        value: {
          name: version.name,
          version: version.version,
          created: registration.created,
          contentHash: version.contentHash,
          spec: version.spec,
          aliases: registration.aliases,
        },
        text: () =>
          (registration.created
            ? `registered model ${version.name} version ${version.version} (prompt ${version.spec.pipeline.prompt})\n`
            : `model ${version.name} unchanged: version ${version.version} has this spec\n`) +
          registration.aliases.map(formatAliasMove).join(''),
      });
    });

  models
    .command('list')
    .description('list models with their newest version and aliases')
    .action(async () => {
      const context = options.context();
      const { withRegistry } = await loadRegistry();
      const list = await withRegistry(context, (registry) => registry.listModels());
      printResult(context, { value: list, text: () => formatSubjects(list, 'no models registered') });
    });

  models
    .command('show')
    .description('show the model version a reference points to')
    .argument('<ref>', 'name, name@alias or name/version')
    .action(async (reference: string) => {
      const context = options.context();
      const { withRegistry } = await loadRegistry();
      const shown = await withRegistry(context, (registry) => registry.showModel(reference));
      printResult(context, { value: shown, text: () => formatModel(shown) });
    });

  models
    .command('promote')
    .description('move an alias (champion) to a version if the promotion policy passes on its evaluation evidence')
    .argument('<name>', 'model name')
    .argument('<version>', 'version number')
    .option('--alias <alias>', 'the alias to move', 'champion')
    .option('--policy <file>', `the promotion policy (default ${defaultPolicyFile})`)
    .option('--force', 'move the alias even if the policy refuses (needs --reason; audited)', false)
    .option('--reason <text>', 'why, kept in the audit trail')
    .action(
      async (
        name: string,
        versionText: string,
        commandOptions: { alias: string; policy?: string; force: boolean; reason?: string },
      ) => {
        const context = options.context();
        const version = parseVersionArgument(versionText);
        const policy = await choosePolicy(context, commandOptions);
        const { withRegistry } = await loadRegistry();
        const result = await withRegistry(context, (registry) =>
          registry.promote({
            name,
            version,
            alias: commandOptions.alias,
            force: commandOptions.force,
            ...(policy ? { policy } : {}),
            ...(commandOptions.reason ? { reason: commandOptions.reason } : {}),
          }),
        );
        printResult(context, { value: result, text: () => formatPromotion(result) });
      },
    );

  models
    .command('rollback')
    .description('move an alias back to the version kept in previous-<alias> by the last promotion')
    .argument('<name>', 'model name')
    .option('--alias <alias>', 'the alias to roll back', 'champion')
    .option('--reason <text>', 'why, kept in the audit trail')
    .action(async (name: string, commandOptions: { alias: string; reason?: string }) => {
      const context = options.context();
      const { withRegistry } = await loadRegistry();
      const result = await withRegistry(context, (registry) =>
        registry.rollback({
          name,
          alias: commandOptions.alias,
          ...(commandOptions.reason ? { reason: commandOptions.reason } : {}),
        }),
      );
      printResult(context, {
        value: result,
        text: () =>
          `rolled back ${result.alias} of model ${result.name}: ${result.fromVersion ?? '-'} -> ${result.toVersion}\n`,
      });
    });

  models
    .command('audit')
    .description('list the alias changes of a model (promotions, rollbacks, forced moves), oldest first')
    .argument('<name>', 'model name')
    .action(async (name: string) => {
      const context = options.context();
      const { withRegistry } = await loadRegistry();
      const entries = await withRegistry(context, (registry) => registry.audit('model', name));
      printResult(context, { value: entries, text: () => formatAudit(entries, `model ${name}`) });
    });
}
