import { resolve } from 'node:path';
import { z } from 'zod';
import { confinedPath, dataRootsOf, LlmopsError } from '@llmops/kernel';
import { exampleQuestion, loadDatasetFile, looksLikeRefusal } from '@llmops/evaluation';
import { count, duration } from '../quickstart/human-numbers.js';
import type { JobContext, JobKind } from './job-kind.js';
import { startLoopbackApi } from './loopback-api.js';

/** What a request must end as: an answer, an answer from the response cache, a refusal in words, or a guardrail block. */
const expectations = ['answer', 'cache_hit', 'declined', 'blocked'] as const;

const requestSchema = z.strictObject({
  /** The user's message. */
  ask: z.string().min(1),
  /** The model reference; the job's `model` by default. */
  model: z.string().min(1).optional(),
  /** Ask for a streamed answer (server-sent events). */
  stream: z.boolean().default(false),
  expect: z.enum(expectations).default('answer'),
});

const trafficSchema = z
  .strictObject({
    kind: z.literal('traffic'),
    /** What the traffic is, for the report: `first traffic`, `simulated drift`. */
    name: z.string().min(1).optional(),
    /** The model reference the requests go to, for example `support-rag@champion`. */
    model: z.string().min(1),
    /** Requests asked one after the other, each with the outcome it must have. */
    requests: z.array(requestSchema).default([]),
    /** Every question of a dataset file (its first `limit`), asked without expectation: traffic to watch. */
    dataset: z.strictObject({ file: z.string().min(1), limit: z.number().int().min(1).optional() }).optional(),
    /** Requests of the dataset in flight at once. */
    concurrency: z.number().int().min(1).max(32).default(4),
  })
  .refine((job) => job.requests.length > 0 || job.dataset !== undefined, {
    error: 'a traffic job needs requests, a dataset, or both',
  });

type TrafficJob = z.infer<typeof trafficSchema>;
type TrafficRequest = z.infer<typeof requestSchema>;

/** The data of a traffic job's result: where it served, and every exchange in order. */
export interface TrafficData {
  /** The job's `name`, when it has one. */
  name?: string;
  url: string;
  exchanges: Exchange[];
}

/** How one request ended. */
export interface Exchange {
  ask: string;
  model: string;
  stream: boolean;
  status: number;
  outcome: 'answered' | 'declined' | 'blocked' | 'failed';
  /** The answer, the refusal, or the server's error message. */
  text: string;
  /** The response cache's verdict (`x-llmops-cache`), when the server gave one. */
  cache: string | null;
  /** The model version that answered (`x-llmops-model-version`). */
  version: string | null;
  ms: number;
  /** Streamed answers: the server-sent chunks that carried text. */
  chunks?: number;
}

/** The text of an OpenAI-shaped error body, or the raw body. */
function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // Not JSON: the body itself says what went wrong.
  }
  return body;
}

/** Reads a server-sent event stream of chat completion chunks: the text and the number of chunks with text. */
async function readStream(response: Response): Promise<{ text: string; chunks: number; error?: string }> {
  const body = await response.text();
  let text = '';
  let chunks = 0;
  for (const line of body.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const event = JSON.parse(line.slice('data: '.length)) as {
      choices?: Array<{ delta?: { content?: string } }>;
      error?: { message?: string };
    };
    if (event.error) return { text, chunks, error: event.error.message ?? 'the stream ended with an error' };
    const piece = event.choices?.[0]?.delta?.content;
    if (piece) {
      text += piece;
      chunks += 1;
    }
  }
  return { text, chunks };
}

/** Asks one question over plain HTTP, as any OpenAI-compatible client does. */
async function ask(url: string, request: { ask: string; model: string; stream: boolean }): Promise<Exchange> {
  const started = performance.now();
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: request.model,
      messages: [{ role: 'user', content: request.ask }],
      ...(request.stream ? { stream: true } : {}),
    }),
  });
  const base = {
    ...request,
    status: response.status,
    cache: response.headers.get('x-llmops-cache'),
    version: response.headers.get('x-llmops-model-version'),
  };
  if (!response.ok) {
    const message = errorText(await response.text());
    const outcome = /guardrail/i.test(message) ? 'blocked' : 'failed';
    return { ...base, outcome, text: message, ms: performance.now() - started };
  }
  if (request.stream) {
    const streamed = await readStream(response);
    const ms = performance.now() - started;
    if (streamed.error !== undefined) return { ...base, outcome: 'failed', text: streamed.error, ms };
    const outcome = looksLikeRefusal(streamed.text) ? 'declined' : 'answered';
    return { ...base, outcome, text: streamed.text, ms, chunks: streamed.chunks };
  }
  const completion = (await response.json()) as { choices?: Array<{ message?: { content?: string | null } }> };
  const text = completion.choices?.[0]?.message?.content ?? '';
  return {
    ...base,
    outcome: looksLikeRefusal(text) ? 'declined' : 'answered',
    text,
    ms: performance.now() - started,
  };
}

/** Whether an exchange ended as the request expected. */
function met(exchange: Exchange, expected: TrafficRequest['expect']): boolean {
  switch (expected) {
    case 'answer':
      return exchange.outcome === 'answered';
    case 'cache_hit':
      return exchange.outcome === 'answered' && exchange.cache === 'hit';
    case 'declined':
      return exchange.outcome === 'declined';
    case 'blocked':
      return exchange.outcome === 'blocked';
  }
}

/** One exchange as two lines: what was asked, and how it ended. */
function describe(exchange: Exchange): string[] {
  const how = [
    exchange.stream ? `streamed in ${count(exchange.chunks ?? 0)} chunk${exchange.chunks === 1 ? '' : 's'}` : null,
    exchange.cache ? `cache ${exchange.cache}` : null,
    exchange.version ? `version ${exchange.version}` : null,
    duration(exchange.ms),
  ]
    .filter((part) => part !== null)
    .join(', ');
  const said = exchange.text.replace(/\s+/g, ' ').trim();
  const outcome =
    exchange.outcome === 'blocked' ? `blocked (HTTP ${exchange.status}), the refusal:` : `${exchange.outcome}:`;
  return [`  ${exchange.model} <- ${exchange.ask}`, `    -> ${outcome} ${said} (${how})`];
}

/** The questions of the job's dataset. */
function datasetQuestions(job: TrafficJob, context: JobContext): string[] {
  if (!job.dataset) return [];
  const path = confinedPath({
    root: context.io.cwd,
    file: job.dataset.file,
    what: 'job.dataset.file',
    confine: true,
    dataRoots: dataRootsOf(context.io.env),
  });
  const dataset = loadDatasetFile(resolve(path), { source: job.dataset.file });
  return dataset.examples.slice(0, job.dataset.limit).map((example) => exampleQuestion(example));
}

/** Asks every question, `concurrency` at a time; resolves with the exchanges in question order. */
async function askAll(
  url: string,
  questions: readonly string[],
  options: { model: string; concurrency: number },
): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];
  let next = 0;
  const worker = async () => {
    while (next < questions.length) {
      const index = next;
      next += 1;
      exchanges[index] = await ask(url, { ask: questions[index] as string, model: options.model, stream: false });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, questions.length) }, worker));
  return exchanges;
}

/**
 * `kind: traffic`: starts the llmops API in process on a free loopback port (anonymous inference, question text kept
 * for drift), sends requests over plain HTTP as an OpenAI-compatible client does (plain or streamed), checks that
 * each ends as expected (an answer, a cache hit, a refusal, a guardrail block), optionally sends every question of
 * a dataset as traffic to watch, and stops the server once every request event is written to the store.
 */
export const trafficJob: JobKind<typeof trafficSchema> = {
  kind: 'traffic',
  description:
    'serves the registry on a free loopback port and sends it requests (plain, streamed, cached, blocked) or a dataset',
  schema: trafficSchema,
  run: async (job, context) => {
    const questions = datasetQuestions(job, context);
    // Drift compares the questions themselves, so this traffic keeps their text (LLMOPS_MONITORING_QUESTION_TEXT).
    const server = await startLoopbackApi(context, { keepQuestionText: true });
    const { url } = server;
    context.progress(`API listening on ${url}`);
    const exchanges: Exchange[] = [];
    const wrong: string[] = [];
    try {
      for (const request of job.requests) {
        const exchange = await ask(url, {
          ask: request.ask,
          model: request.model ?? job.model,
          stream: request.stream,
        });
        exchanges.push(exchange);
        for (const line of describe(exchange)) context.report(line);
        if (!met(exchange, request.expect))
          wrong.push(`"${request.ask}" was expected to end as ${request.expect}, it was ${exchange.outcome}`);
      }
      if (questions.length > 0) {
        const asked = await askAll(url, questions, { model: job.model, concurrency: job.concurrency });
        exchanges.push(...asked);
        const by = (outcome: Exchange['outcome']) => asked.filter((exchange) => exchange.outcome === outcome).length;
        context.report(
          `  ${count(asked.length)} questions of ${job.dataset?.file} to ${job.model}: ${count(by('answered'))} answered, ${count(by('declined'))} declined, ${count(by('blocked'))} blocked, ${count(by('failed'))} failed`,
        );
      }
    } finally {
      // Closing drains the requests and writes their monitoring events before the stores close.
      await server.close();
      context.progress('API stopped');
    }
    if (wrong.length > 0)
      throw new LlmopsError('gate_failed', `traffic to ${job.model}: ${wrong.join('; ')}`, { details: exchanges });
    const outcomes = ['answered', 'declined', 'blocked', 'failed'] as const;
    const tally = outcomes
      .map((outcome) => [outcome, exchanges.filter((exchange) => exchange.outcome === outcome).length] as const)
      .filter(([, n]) => n > 0)
      .map(([outcome, n]) => `${count(n)} ${outcome}`)
      .join(', ');
    const hits = exchanges.filter((exchange) => exchange.cache === 'hit').length;
    return {
      kind: 'traffic',
      summary: `${job.name ? `${job.name}: ` : ''}${count(exchanges.length)} request(s) to ${url}: ${tally}; ${count(hits)} cache hit(s)`,
      data: { ...(job.name ? { name: job.name } : {}), url, exchanges } satisfies TrafficData,
    };
  },
};
