import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { configOriginOf, LlmopsError, loadConfigDocument, validateConfig } from '@llmops/kernel';
import type { CommandContext } from '../cli-io.js';
import type { Job, JobCatalog } from '../jobs/job-catalog.js';
import type { JobContext, JobResult } from '../jobs/job-kind.js';
import { workspaceFile } from '../workspace-file.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `llmops run <conf.yaml...> [-e key=value]...`: loads, validates and runs a job conf. */
export function registerRunCommand(
  program: Command,
  options: {
    /** The job kinds, named in the command's description (the catalog itself is loaded when the command runs). */
    kinds: readonly string[];
    /** Loads the job catalog (every kind's module): only when a conf is run, not for `llmops run --help`. */
    catalog: () => Promise<JobCatalog>;
    context: () => CommandContext;
    /** Receives the exit code of a job that finished without fully succeeding (`JobResult.exitCode`). */
    setExitCode: (code: number) => void;
  },
): void {
  program
    .command('run')
    .description(
      `run the job described by YAML conf files (merged in order); kinds: ${[...options.kinds].sort().join(', ')}`,
    )
    .argument('<confs...>', 'YAML conf files, later ones overriding earlier ones')
    .option('-e, --set <key=value>', 'override a conf value (repeatable), e.g. -e job.alias=challenger', collect, [])
    .action(async (confs: string[], commandOptions: { set: string[] }) => {
      const context = options.context();
      const catalog = await options.catalog();
      const document = loadConfigDocument({
        files: confs,
        overrides: commandOptions.set,
        env: context.io.env,
        readFile: (path) => readFileSync(workspaceFile(context.io, path, 'conf'), 'utf8'),
      });
      const conf = validateConfig(catalog.confSchema, document, confs[confs.length - 1] as string);
      const progress = (line: string) => context.io.stderr(`${line}\n`);
      const report = (line: string) => (context.globals.json ? context.io.stderr : context.io.stdout)(`${line}\n`);
      const jobContext: JobContext = {
        ...context,
        confFiles: confs,
        originOf: (path) => configOriginOf(document, path, confs[confs.length - 1] as string),
        progress,
        report,
        runJob: async (job, earlier) => runJob(job as Job, earlier ? { ...jobContext, earlier } : jobContext),
      };
      const runJob = async (job: Job, jobContextForJob: JobContext): Promise<JobResult> => {
        const kind = catalog.kinds.get(job.kind);
        if (!kind) throw new LlmopsError('invalid_input', `unknown job kind "${job.kind}"`);
        return kind.run(job, jobContextForJob);
      };
      const result = await runJob(conf.job, jobContext);
      if (context.globals.json) context.io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      else {
        const verdict = result.exitCode ? context.style.failure : context.style.success;
        context.io.stdout(`${verdict(`${result.kind}:`)} ${result.summary}\n`);
      }
      if (result.exitCode) options.setExitCode(result.exitCode);
    });
}
