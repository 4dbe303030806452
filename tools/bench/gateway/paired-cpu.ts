/**
 * Before and after in pairs, for a machine too busy for `proxy-overhead.ts`'s time slices: llmops from two checkouts
 * (`llmops-proxy.ts` of each, guardrails off) running at once against one upstream stub, driven in blocks of a fixed
 * number of requests taken in turn (the order alternating each round), plain then streamed. Per block it reads each
 * server's user + system CPU from `/proc/<pid>/stat`; it prints the CPU per request of every block, the medians, and the
 * median of the paired after ÷ before ratios.
 *
 *   npx tsx tools/bench/gateway/paired-cpu.ts --baseline <another checkout> [--block 3000 | --seconds S] [--rounds 6] [--connections 20]
 *
 * The baseline checkout must resolve `@llmops/*` to its own packages (see the Gateway section of wiki/Benchmarks.md).
 * `--before-rate R` and `--after-rate R` set each server's `LLMOPS_TRACE_SAMPLE_RATE`; with them `--baseline` may be
 * left out (both servers are this checkout). It prints each block's requests per second too; read them with
 * `--seconds S` (blocks of S seconds): a block of `--block` requests ends on autocannon's one-second tick.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { option } from '../command-line.js';

const repo = join(import.meta.dirname, '../../..');
const node = join(repo, 'node_modules/.bin/node');

const beforeRate = option('before-rate');
const afterRate = option('after-rate');
const baselineRoot = option('baseline') ?? ((beforeRate ?? afterRate) ? repo : undefined);
const block = Number(option('block') ?? 3_000);
const rounds = Number(option('rounds') ?? 6);
const connections = Number(option('connections') ?? 20);
/** Blocks bounded in time rather than by `--block` requests (autocannon ends a counted block on its one-second tick). */
const seconds = option('seconds') === undefined ? undefined : Number(option('seconds'));

interface Server {
  child: ChildProcess;
  url: string;
}

/** Starts a process and waits for its `listening <url>` line. */
function start(root: string, args: string[], sampleRate?: string): Promise<Server> {
  const child = spawn(node, ['--import', 'tsx', '--conditions=@llmops/source', ...args], {
    cwd: root,
    env: sampleRate === undefined ? process.env : { ...process.env, LLMOPS_TRACE_SAMPLE_RATE: sampleRate },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    lines.on('line', (line) => {
      const match = /listening (\S+)/.exec(line);
      if (match) resolve({ child, url: match[1] ?? '' });
    });
  });
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function body(stream: boolean): string {
  return JSON.stringify({
    model: 'stub-plain@champion',
    messages: [{ role: 'user', content: 'How long do refunds take once the parcel is back?' }],
    ...(stream ? { stream: true } : {}),
  });
}

/** CPU ms per request of one server over a block (`amount` requests or `duration` seconds), and the requests it answered per second. */
async function cpuPerRequest(
  server: Server,
  stream: boolean,
  size: { amount: number } | { duration: number },
  width: number,
): Promise<{ cpu: number; perSecond: number }> {
  const pid = server.child.pid as number;
  const before = cpuSeconds(pid);
  const started = performance.now();
  const result = await autocannon({
    url: `${server.url}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body(stream),
    connections: width,
    ...size,
  });
  const failures = result.non2xx + result.errors + result.timeouts;
  if (failures > 0) throw new Error(`${server.url}: ${failures} requests failed`);
  return {
    cpu: ((cpuSeconds(pid) - before) * 1000) / result.requests.total,
    perSecond: (result.requests.total * 1000) / (performance.now() - started),
  };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

async function main(): Promise<void> {
  if (!baselineRoot) throw new Error('--baseline <another checkout> is required');
  const children: ChildProcess[] = [];
  try {
    const stub = await start(repo, [join(repo, 'tools/bench/gateway/upstream-stub.ts')]);
    children.push(stub.child);
    const proxy = (root: string) => [join(root, 'tools/bench/gateway/llmops-proxy.ts'), '--upstream', stub.url];
    const servers = {
      before: await start(baselineRoot, proxy(baselineRoot), beforeRate),
      after: await start(repo, proxy(repo), afterRate),
    };
    children.push(servers.before.child, servers.after.child);
    for (const server of Object.values(servers)) {
      await cpuPerRequest(server, false, { amount: 3_000 }, 10); // warm-up: JIT, connection pools
      await cpuPerRequest(server, true, { amount: 1_000 }, 10);
    }
    const blockSize = seconds === undefined ? { amount: block } : { duration: seconds };
    const results: Record<string, number[]> = {};
    const throughput: Record<string, number[]> = {};
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
      for (const kind of ['plain', 'stream'] as const) {
        for (const name of order) {
          process.stderr.write(`round ${round + 1}/${rounds}: ${name} ${kind}…\n`);
          const measured = await cpuPerRequest(servers[name], kind === 'stream', blockSize, connections);
          (results[`${name} ${kind}`] ??= []).push(measured.cpu);
          (throughput[`${name} ${kind}`] ??= []).push(measured.perSecond);
        }
      }
    }
    const rates =
      (beforeRate ?? afterRate) ? `; trace sample rate before ${beforeRate ?? 1}, after ${afterRate ?? 1}` : '';
    process.stdout.write(
      `${rounds} rounds of ${seconds === undefined ? `${block} requests` : `${seconds} s`} at ${connections} connections per version and kind${rates}\n`,
    );
    for (const [key, values] of Object.entries(results))
      process.stdout.write(
        `${key.padEnd(14)} median ${median(values).toFixed(3)} ms/req; blocks ${values.map((value) => value.toFixed(3)).join(' ')}; req/s ${(throughput[key] ?? []).map((value) => value.toFixed(0)).join(' ')}\n`,
      );
    for (const kind of ['plain', 'stream']) {
      const after = results[`after ${kind}`] ?? [];
      const before = results[`before ${kind}`] ?? [];
      const ratios = after.map((value, index) => value / (before[index] as number));
      process.stdout.write(
        `${kind}: after ÷ before, median of paired ratios ${median(ratios).toFixed(3)}; after lower in ${ratios.filter((ratio) => ratio < 1).length} of ${ratios.length}\n`,
      );
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
