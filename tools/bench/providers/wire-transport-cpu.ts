/**
 * Client CPU per upstream call of `OpenAiWireTransport`, this checkout's against another checkout's (before/after in
 * one process, interleaved): both post to one upstream stub running in a child process, in blocks of `--block` calls
 * at `--concurrency` calls in flight, the two transports taking turns (the order alternating each round), whole
 * answers then streams. Per block it reads this process's user + system CPU (`process.cpuUsage`); it prints the
 * median µs per call of each side and the median of the paired after ÷ before ratios.
 *
 *   npx tsx --conditions=@llmops/source tools/bench/providers/wire-transport-cpu.ts --baseline <another checkout> \
 *     [--block 2000] [--rounds 6] [--concurrency 8]
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { option } from '../command-line.js';

interface Transport {
  postJson(path: string, body: string, signal: AbortSignal): Promise<unknown>;
  postEvents(path: string, body: string, signal: AbortSignal): Promise<AsyncIterator<unknown>>;
  close(): unknown;
}
type TransportClass = new (options: { baseURL: string; apiKey: string | undefined }) => Transport;

const repo = join(import.meta.dirname, '../../..');
const file = 'packages/providers/src/openai-compatible/openai-wire-transport.ts';

const baseline = option('baseline');
if (baseline === undefined) {
  console.error(
    'usage: wire-transport-cpu.ts --baseline <another checkout> [--block N] [--rounds N] [--concurrency N]',
  );
  process.exit(2);
}
const block = Number(option('block') ?? 2_000);
const rounds = Number(option('rounds') ?? 6);
const concurrency = Number(option('concurrency') ?? 8);

async function load(root: string): Promise<TransportClass> {
  const module = (await import(pathToFileURL(join(root, file)).href)) as { OpenAiWireTransport: TransportClass };
  return module.OpenAiWireTransport;
}

async function startStub(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'tools/bench/gateway/upstream-stub.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the upstream stub exited with ${code}`)));
    lines.on('line', (line) => {
      const match = /listening (\S+)/.exec(line);
      if (match) resolve(match[1] ?? '');
    });
  });
  return { url, stop: () => child.kill() };
}

const plainBody = JSON.stringify({ model: 'stub', messages: [{ role: 'user', content: 'How long do refunds take?' }] });
const streamBody = JSON.stringify({ ...JSON.parse(plainBody), stream: true });

async function call(transport: Transport, streamed: boolean): Promise<void> {
  const signal = new AbortController().signal;
  if (!streamed) {
    await transport.postJson('/chat/completions', plainBody, signal);
    return;
  }
  const events = await transport.postEvents('/chat/completions', streamBody, signal);
  while (!(await events.next()).done);
}

/** µs of this process's CPU per call over one block. */
async function measure(transport: Transport, streamed: boolean): Promise<number> {
  let left = block;
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) await call(transport, streamed);
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / block;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const stub = await startStub();
const sides = {
  before: new (await load(baseline))({ baseURL: `${stub.url}/v1`, apiKey: 'sk-bench' }),
  after: new (await load(repo))({ baseURL: `${stub.url}/v1`, apiKey: 'sk-bench' }),
};
try {
  for (const streamed of [false, true]) {
    for (const side of Object.values(sides)) await measure(side, streamed); // warm-up
    const results = { before: [] as number[], after: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? (['after', 'before'] as const) : (['before', 'after'] as const);
      for (const name of order) results[name].push(await measure(sides[name], streamed));
    }
    const ratios = results.after.map((after, index) => after / (results.before[index] as number));
    const show = (values: number[]) => values.map((value) => value.toFixed(0)).join(' ');
    console.log(
      `${streamed ? 'streamed' : 'plain'} (µs CPU per call, ${block} calls per block, ${concurrency} in flight)`,
    );
    console.log(`  before: ${show(results.before)}  median ${median(results.before).toFixed(0)}`);
    console.log(`  after:  ${show(results.after)}  median ${median(results.after).toFixed(0)}`);
    console.log(`  after ÷ before, paired median: ${median(ratios).toFixed(2)}`);
  }
} finally {
  for (const side of Object.values(sides)) await side.close();
  stub.stop();
}
