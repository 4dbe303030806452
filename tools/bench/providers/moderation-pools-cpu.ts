/**
 * Client CPU per moderation call: `OpenAiModerationClient` on the upstream pools (`pools`, as serving builds it since
 * branch `wt/pools`) against the same client on the global `fetch` (as before), in one process, interleaved: blocks
 * of `--block` calls at `--concurrency` in flight, the two taking turns (the order alternating each round), against
 * a moderation stub in a child process. Per block it reads this process's user + system CPU (`process.cpuUsage`) and
 * prints the median µs per call of each side and the median of the paired pools ÷ fetch ratios.
 *
 *   npx tsx --conditions=@llmops/source tools/bench/providers/moderation-pools-cpu.ts [--block 2000] [--rounds 6] [--concurrency 8]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { OpenAiModerationClient, UpstreamPools } from '@llmops/providers';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const block = option('block', 2_000);
const rounds = option('rounds', 6);
const concurrency = option('concurrency', 8);

/** A keep-alive moderation endpoint answering every call "not flagged", in its own process. */
const stubSource = `
const { createServer } = require('node:http');
const body = JSON.stringify({ id: 'modr', model: 'omni-moderation-latest', results: [{ flagged: false,
  categories: { violence: false }, category_scores: { violence: 0.01 } }] });
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log('listening http://127.0.0.1:' + server.address().port));
`;

async function startStub(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', stubSource], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve) => {
    lines.on('line', (line) => {
      const match = /listening (\S+)/.exec(line);
      if (match) resolve(match[1] ?? '');
    });
  });
  return { url, stop: () => child.kill() };
}

async function runBlock(client: OpenAiModerationClient): Promise<number> {
  const started = process.cpuUsage();
  let next = 0;
  const worker = async () => {
    while (next < block) {
      next += 1;
      await client.moderate('How long do refunds take?');
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(started);
  return (used.user + used.system) / block;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const stub = await startStub();
const pools = new UpstreamPools();
const baseUrl = `${stub.url}/v1`;
const onPools = new OpenAiModerationClient({ baseUrl, pools });
const onFetch = new OpenAiModerationClient({ baseUrl, fetch: globalThis.fetch });
try {
  // Warm-up: imports, JIT, connections.
  await runBlock(onPools);
  await runBlock(onFetch);
  const pooled: number[] = [];
  const fetched: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    if (round % 2 === 0) {
      pooled.push(await runBlock(onPools));
      fetched.push(await runBlock(onFetch));
    } else {
      fetched.push(await runBlock(onFetch));
      pooled.push(await runBlock(onPools));
    }
  }
  const ratios = pooled.map((value, index) => value / (fetched[index] as number));
  console.log(`block ${block}, rounds ${rounds}, concurrency ${concurrency}`);
  console.log(
    `fetch: median ${median(fetched).toFixed(1)} µs CPU per call (${fetched.map((v) => v.toFixed(0)).join(', ')})`,
  );
  console.log(
    `pools: median ${median(pooled).toFixed(1)} µs CPU per call (${pooled.map((v) => v.toFixed(0)).join(', ')})`,
  );
  console.log(
    `pools ÷ fetch, paired median ${median(ratios).toFixed(2)}; pools lower in ${ratios.filter((r) => r < 1).length} of ${rounds}`,
  );
} finally {
  await pools.close();
  stub.stop();
}
