/**
 * In-process CPU of one served stream through the pipeline and its steps, this checkout against another, in one process
 * (blocks taken in turn, the order alternating each round): the change of the streamed path without the HTTP server,
 * the sockets and the upstream's parsing (the same code on both sides), which `proxy-overhead.ts` cannot resolve on a
 * loaded machine. Each checkout builds a `stub-plain` version (guardrail policy `none`, cache off) with its own
 * `PipelineFactory` and its own `monitoring` step (events to a sink that drops them), with fallback targets as the
 * serving service gives every version (never asked), on a chat model that answers the upstream stub's chunks (parsed
 * from the stub's own SSE text, as the transport would); a stream is read to its end, each chunk serialised as the
 * route does, with a caller's abort signal as the route gives one. A whole answer (`complete`) is measured beside it.
 *
 *   npx tsx --conditions=@llmops/source tools/bench/gateway/stream-parts-cpu.ts --baseline <checkout> [--rounds 8]
 *
 * Prints the median µs of CPU (user + system) per request of each kind, before (the baseline) and after.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import { stubCompletion, stubStream } from './upstream-stub.js';
import { option } from '../command-line.js';

const repo = join(import.meta.dirname, '../../..');
const baseline = option('baseline');
const rounds = Number(option('rounds') ?? 8);
const block = 4_000;
/**
 * Runs a request in the empty async context, as a server's request handler starts: the recorder's async local storage
 * is one per request, and requests chained in one async function would otherwise each inherit all the earlier ones'.
 */
const inFreshContext = AsyncLocalStorage.snapshot();

/** The stub's events, as the transport hands them on (one JSON text each, `[DONE]` left out). */
const events = stubStream
  .split('\n\n')
  .filter((event) => event.startsWith('data: {'))
  .map((event) => event.slice('data: '.length));

/** A checkout's stream and complete, each a function running a block of requests. */
async function kindsOf(root: string): Promise<Record<string, () => Promise<number>>> {
  const serving = await import(join(root, 'packages/serving/src/index.ts'));
  const { servableModelFromSpec } = await import(
    join(root, 'packages/serving/src/testing/servable-model-from-spec.ts')
  );
  const { monitoringStepFactory } = await import(join(root, 'packages/composition/src/monitoring/monitoring-step.ts'));
  const chatModel = {
    provider: 'openai',
    modelId: 'stub',
    generate: async () => JSON.parse(stubCompletion),
    stream: async function* () {
      for (const event of events) yield JSON.parse(event);
    },
  };
  const factory = new serving.PipelineFactory({
    guardrails: new serving.GuardrailPolicies({ none: serving.guardrailPolicySchema.parse({ description: 'none' }) }),
    env: {},
    createChatModel: () => chatModel,
    steps: [
      monitoringStepFactory({
        sink: { record: () => undefined },
        keepQuestionText: false,
        looksLikeRefusal: () => false,
      }),
    ],
  });
  const model = servableModelFromSpec(
    {
      ...{ name: 'stub-plain', provider: 'openai/stub', guardrails: 'none', cache: { enabled: false } },
      pipeline: { kind: 'chat', prompt: 'none' },
    },
    { version: 1 },
  );
  // With fallback targets, as the serving service builds every version (they are never asked: the version answers).
  const unused = () => Promise.reject(new Error('a fallback was asked for'));
  const pipeline = await factory.create(model, { fallbacks: { resolve: unused, target: unused } });
  const request = { messages: [{ role: 'user', content: 'How long do refunds take?' }] };
  return {
    stream: async () => {
      for (let index = 0; index < block; index += 1) {
        const bytes = await inFreshContext(async () => {
          const controller = new AbortController();
          const stream = await pipeline.stream(request, { signal: controller.signal });
          let written = 0;
          for await (const chunk of stream.chunks) written += `data: ${JSON.stringify(chunk)}\n\n`.length;
          await stream.trace;
          return written;
        });
        if (bytes === 0) throw new Error('an empty stream');
      }
      return block;
    },
    complete: async () => {
      for (let index = 0; index < block; index += 1) {
        const length = await inFreshContext(async () => {
          const controller = new AbortController();
          const { completion } = await pipeline.complete(request, { signal: controller.signal });
          return JSON.stringify(completion).length;
        });
        if (length === 0) throw new Error('an empty answer');
      }
      return block;
    },
  };
}

async function cpuOf(run: () => Promise<number>): Promise<number> {
  const started = process.cpuUsage();
  const count = await run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / count;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function main(): Promise<void> {
  if (!baseline) throw new Error('--baseline <checkout> is required');
  const sides = { before: await kindsOf(baseline), after: await kindsOf(repo) };
  for (const side of Object.values(sides)) for (const run of Object.values(side)) await run(); // warm-up
  const results: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
    for (const kind of ['complete', 'stream'])
      for (const name of order)
        (results[`${name} ${kind}`] ??= []).push(await cpuOf(sides[name][kind] as () => Promise<number>));
  }
  console.log(`${rounds} rounds of ${block} requests per version and kind; µs of CPU per request`);
  for (const [name, values] of Object.entries(results))
    console.log(
      `${name.padEnd(16)} median ${median(values).toFixed(1)}; blocks ${values.map((value) => value.toFixed(1)).join(' ')}`,
    );
  for (const kind of ['complete', 'stream']) {
    const before = results[`before ${kind}`] as number[];
    const ratios = (results[`after ${kind}`] as number[]).map((after, index) => after / (before[index] as number));
    console.log(
      `${kind}: after ÷ before, median of paired ratios ${median(ratios).toFixed(3)}; lower in ${ratios.filter((ratio) => ratio < 1).length} of ${ratios.length}`,
    );
  }
}

await main();
