/**
 * How long the built `llmops` command takes to start and print: `--version`, `--help` and `models --help` (or the
 * argument lists given), each run `--runs` times (20 by default) after one warm-up run, interleaved, as a new
 * process with the Node.js that runs this script (the pinned node@24 under `npx tsx`). Prints p50, p95, min and max
 * of the wall time per command.
 *
 * Usage: `npx nx build cli && npx tsx tools/bench/cli/cli-start.ts [--runs 20] [-- <args> [-- <args>…]]`
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const bin = fileURLToPath(new URL('../../../apps/cli/bin/llmops.js', import.meta.url));

function parseArguments(argv: readonly string[]): { runs: number; commands: string[][] } {
  let runs = 20;
  const commands: string[][] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] as string;
    if (argument === '--runs') {
      runs = Number(argv[++index]);
      if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs expects a whole number of at least 1');
    } else if (argument === '--') {
      commands.push([]);
    } else if (commands.length > 0) {
      commands.at(-1)?.push(argument);
    } else {
      throw new Error(`unknown argument ${argument}; expected --runs N and then -- <args> per command`);
    }
  }
  const chosen = commands.filter((command) => command.length > 0);
  return { runs, commands: chosen.length > 0 ? chosen : [['--version'], ['--help'], ['models', '--help']] };
}

function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] as number;
}

function runOnce(args: readonly string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`llmops ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

const { runs, commands } = parseArguments(process.argv.slice(2));
if (!existsSync(new URL('../../../apps/cli/dist/main.js', import.meta.url))) {
  throw new Error('the CLI is not built; run `npx nx build cli` first');
}
const times = new Map<string, number[]>(commands.map((command) => [command.join(' '), []]));
for (const command of commands) runOnce(command);
for (let run = 0; run < runs; run += 1) {
  for (const command of commands) times.get(command.join(' '))?.push(runOnce(command));
}
const load = loadavg().map((value) => value.toFixed(1));
console.log(
  `llmops start, ${runs} runs each, Node.js ${process.versions.node}, ${cpus().length} cores, load ${load.join(' ')}`,
);
console.log('| command | p50 | p95 | min | max |');
console.log('| --- | --- | --- | --- | --- |');
for (const [command, samples] of times) {
  const sorted = [...samples].sort((left, right) => left - right);
  const ms = (value: number) => `${Math.round(value)} ms`;
  console.log(
    `| \`llmops ${command}\` | ${ms(percentile(sorted, 0.5))} | ${ms(percentile(sorted, 0.95))} | ${ms(sorted[0] as number)} | ${ms(sorted.at(-1) as number)} |`,
  );
}
