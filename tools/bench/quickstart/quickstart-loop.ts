/**
 * How long the quickstart's loop takes after the build: `llmops run confs/pipeline.yaml` on a fresh copy of the
 * shipped confs (a new `.llmops`), `--runs` times (1 by default), with the Node.js that runs this script (the pinned
 * node@24 under `npx tsx`). Prints the wall time of each run and of each step (the pipeline's `[i/n] kind: … (s)`
 * lines), with the machine's load average before and after, since the machine is shared, and (on Linux) the CPU
 * seconds the run used, which the load does not inflate.
 *
 * Usage: `npx nx build cli && npx tsx tools/bench/quickstart/quickstart-loop.ts [--runs 3]`
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'apps/cli/bin/llmops.js');

function runsOf(argv: readonly string[]): number {
  const index = argv.indexOf('--runs');
  if (index === -1) return 1;
  const runs = Number(argv[index + 1]);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs expects a whole number of at least 1');
  return runs;
}

/** CPU seconds (user + system) of this process's waited-for children, from /proc (Linux, 100 ticks a second); null elsewhere. */
function childrenCpuSeconds(): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  // The fields after the command name, which is in parentheses and may hold spaces: cutime and cstime are 14 and 15.
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

if (!existsSync(join(root, 'apps/cli/dist/main.js'))) throw new Error('the CLI is not built; run `npx nx build cli`');
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
for (let run = 1; run <= runsOf(process.argv.slice(2)); run += 1) {
  const workdir = mkdtempSync(join(tmpdir(), 'llmops-quickstart-bench-'));
  cpSync(join(root, 'confs'), join(workdir, 'confs'), { recursive: true });
  const before = load();
  const cpuBefore = childrenCpuSeconds();
  const started = performance.now();
  const result = spawnSync(process.execPath, [bin, 'run', 'confs/pipeline.yaml'], {
    cwd: workdir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = childrenCpuSeconds();
  const cpu = cpuBefore === null || cpuAfter === null ? '' : `, ${(cpuAfter - cpuBefore).toFixed(1)} s of CPU`;
  if (result.status !== 0) throw new Error(`the quickstart exited ${result.status}: ${result.stderr.slice(-2000)}`);
  console.log(
    `run ${run}: ${seconds.toFixed(1)} s${cpu}, Node.js ${process.versions.node}, ${cpus().length} cores, load ${before} before, ${load()} after`,
  );
  for (const match of result.stderr.matchAll(/^\[(\d+)\/\d+\] (\w+): .* \((\d+\.\d) s\)$/gm))
    console.log(`  ${match[1]?.padStart(2)} ${match[2]?.padEnd(9)} ${match[3]?.padStart(5)} s`);
  rmSync(workdir, { recursive: true, force: true });
}
