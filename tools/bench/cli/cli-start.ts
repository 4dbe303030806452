/**
 * How long the built `llmops` command takes to start and finish, and how much CPU it uses: `--version`, `--help` and
 * `models --help` (or the argument lists given), each run `--runs` times (20 by default) after one warm-up run,
 * interleaved, as a new process with the Node.js that runs this script (the pinned node@24 under `npx tsx`). Prints p50,
 * p95, min and max of the wall time and the median CPU (user + system, from `/usr/bin/time`, which a loaded machine
 * inflates far less than the wall time) per command.
 *
 * With `--baseline <checkout>` the same commands run alternately with that checkout's built bin too (its `@llmops/*`
 * resolving to its own packages), so that before and after are measured under the same load; `--cwd <folder>` runs them
 * in a workspace (for commands such as `models list` or `run <conf>`).
 *
 * Usage: `npx nx build cli && npx tsx tools/bench/cli/cli-start.ts [--runs 20] [--baseline DIR] [--cwd DIR] [-- <args> [-- <args>…]]`
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const timeCommand = '/usr/bin/time';

interface Options {
  runs: number;
  baseline?: string;
  cwd: string;
  commands: string[][];
}

function parseArguments(argv: readonly string[]): Options {
  let runs = 20;
  let baseline: string | undefined;
  let cwd = process.cwd();
  const commands: string[][] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] as string;
    if (commands.length > 0 && argument !== '--') {
      commands.at(-1)?.push(argument);
    } else if (argument === '--runs') {
      runs = Number(argv[++index]);
      if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs expects a whole number of at least 1');
    } else if (argument === '--baseline') {
      baseline = resolve(String(argv[++index]));
    } else if (argument === '--cwd') {
      cwd = resolve(String(argv[++index]));
    } else if (argument === '--') {
      commands.push([]);
    } else {
      throw new Error(
        `unknown argument ${argument}; expected --runs N, --baseline DIR, --cwd DIR, then -- <args> per command`,
      );
    }
  }
  const chosen = commands.filter((command) => command.length > 0);
  return {
    runs,
    ...(baseline ? { baseline } : {}),
    cwd,
    commands: chosen.length > 0 ? chosen : [['--version'], ['--help'], ['models', '--help']],
  };
}

function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] as number;
}

/** One run's wall time and CPU seconds (user + system of the child, as `/usr/bin/time` reports them). */
interface Sample {
  wallMs: number;
  cpuSeconds: number;
}

const scratch = mkdtempSync(join(tmpdir(), 'llmops-cli-start-'));
const timesFile = join(scratch, 'time.txt');

function runOnce(bin: string, args: readonly string[], cwd: string): Sample {
  const started = performance.now();
  const result = spawnSync(timeCommand, ['-f', '%U %S', '-o', timesFile, process.execPath, bin, ...args], {
    cwd,
    encoding: 'utf8',
  });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`llmops ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const [user, system] = readFileSync(timesFile, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
  return { wallMs, cpuSeconds: (user ?? Number.NaN) + (system ?? Number.NaN) };
}

function binOf(checkout: string): string {
  const bin = join(checkout, 'apps/cli/bin/llmops.js');
  if (!existsSync(join(checkout, 'apps/cli/dist/main.js'))) {
    throw new Error(`the CLI of ${checkout} is not built; run \`npx nx build cli\` there first`);
  }
  return bin;
}

const options = parseArguments(process.argv.slice(2));
if (!existsSync(timeCommand)) throw new Error(`${timeCommand} is missing (Debian: apt-get install -y time)`);
const builds = new Map<string, string>([['this', binOf(fileURLToPath(new URL('../../..', import.meta.url)))]]);
if (options.baseline) builds.set('baseline', binOf(options.baseline));

const samples = new Map<string, Sample[]>();
const key = (build: string, command: readonly string[]) => `${build}\t${command.join(' ')}`;
for (const command of options.commands) for (const bin of builds.values()) runOnce(bin, command, options.cwd);
for (let run = 0; run < options.runs; run += 1) {
  // The order of the builds alternates from one round to the next, so neither always runs first.
  const order = run % 2 === 0 ? [...builds] : [...builds].reverse();
  for (const command of options.commands) {
    for (const [build, bin] of order) {
      const list = samples.get(key(build, command)) ?? [];
      list.push(runOnce(bin, command, options.cwd));
      samples.set(key(build, command), list);
    }
  }
}
rmSync(scratch, { recursive: true, force: true });

const load = loadavg().map((value) => value.toFixed(1));
console.log(
  `llmops start, ${options.runs} runs each, Node.js ${process.versions.node}, ${cpus().length} cores, load ${load.join(' ')}`,
);
console.log('| build | command | CPU median | wall p50 | wall p95 | wall min | wall max |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const command of options.commands) {
  for (const build of builds.keys()) {
    const list = samples.get(key(build, command)) ?? [];
    const wall = list.map((sample) => sample.wallMs).sort((left, right) => left - right);
    const cpu = list.map((sample) => sample.cpuSeconds).sort((left, right) => left - right);
    const ms = (value: number) => `${Math.round(value)} ms`;
    console.log(
      `| ${build} | \`llmops ${command.join(' ')}\` | ${ms(percentile(cpu, 0.5) * 1000)} | ${ms(percentile(wall, 0.5))} | ${ms(percentile(wall, 0.95))} | ${ms(wall[0] as number)} | ${ms(wall.at(-1) as number)} |`,
    );
  }
}
