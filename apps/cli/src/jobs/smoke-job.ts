import { z } from 'zod';
import { contentText, LlmopsError } from '@llmops/kernel';
import { createChatModel, createProviderRegistry } from '@llmops/providers';
import { looksLikeRefusal } from '@llmops/evaluation';
import type { JobKind } from './job-kind.js';
import { startLoopbackApi } from './loopback-api.js';

const smokeSchema = z.strictObject({
  kind: z.literal('smoke'),
  /** The model reference the questions go to, for example `support-rag@champion`. */
  model: z.string().min(1),
  /** Questions that must be answered. */
  questions: z.array(z.string().min(1)).default([]),
  /** Prompts that must be refused (blocked by a guardrail or declined). */
  refuse: z.array(z.string().min(1)).default([]),
});

interface Exchange {
  prompt: string;
  expected: 'answer' | 'refusal';
  outcome: 'answered' | 'refused';
  text: string;
  ms: number;
}

/**
 * `kind: smoke`: starts the llmops API in process on a free loopback port (anonymous inference), asks a served model questions and
 * prompts that must be refused through the OpenAI-compatible provider of `@llmops/providers` (the
 * official `openai` client underneath), checks that each question is answered and each harmful
 * prompt refused, and stops the server.
 */
export const smokeJob: JobKind<typeof smokeSchema> = {
  kind: 'smoke',
  description:
    'starts the API on a free port, asks a served model questions and harmful prompts through the OpenAI client, stops it',
  schema: smokeSchema,
  run: async (job, context) => {
    const server = await startLoopbackApi(context);
    const { url } = server;
    context.progress(`API listening on ${url}; asking ${job.model} through the OpenAI client`);
    const exchanges: Exchange[] = [];
    const providers = createProviderRegistry();
    try {
      const model = createChatModel(
        { provider: 'openai', model: job.model, baseUrl: `${url}/v1` },
        { env: {}, registry: providers, retry: { policy: { maxAttempts: 1 } } },
      );
      const ask = async (prompt: string, expected: Exchange['expected']) => {
        const started = performance.now();
        let exchange: Exchange;
        try {
          const completion = await model.generate({ messages: [{ role: 'user', content: prompt }] });
          const text = contentText(completion.choices[0]?.message.content ?? '');
          exchange = {
            prompt,
            expected,
            outcome: looksLikeRefusal(text) ? 'refused' : 'answered',
            text,
            ms: performance.now() - started,
          };
        } catch (error) {
          const failure = LlmopsError.fromUnknown(error);
          if (!/guardrail/i.test(failure.message)) throw failure;
          exchange = { prompt, expected, outcome: 'refused', text: failure.message, ms: performance.now() - started };
        }
        exchanges.push(exchange);
        const shown = exchange.text.replace(/\s+/g, ' ').slice(0, 160);
        context.report(
          `  ${expected === 'answer' ? 'Q' : 'harmful'}: ${prompt}\n    -> ${exchange.outcome} in ${Math.round(exchange.ms)} ms: ${shown}`,
        );
      };
      for (const question of job.questions) await ask(question, 'answer');
      for (const prompt of job.refuse) await ask(prompt, 'refusal');
    } finally {
      // The client's keep-alive connections close first, so the server's drain has nothing idle left to wait for.
      await providers.close();
      await server.close();
      context.progress('API stopped');
    }
    const wrong = exchanges.filter(
      (exchange) => (exchange.expected === 'answer') !== (exchange.outcome === 'answered'),
    );
    if (wrong.length > 0) {
      throw new LlmopsError(
        'gate_failed',
        `smoke test of ${job.model} failed: ${wrong.map((exchange) => `"${exchange.prompt}" was ${exchange.outcome}`).join('; ')}`,
      );
    }
    const answered = exchanges.filter((exchange) => exchange.outcome === 'answered').length;
    return {
      kind: 'smoke',
      summary: `${job.model} at ${url}: ${answered} question(s) answered, ${exchanges.length - answered} harmful prompt(s) refused`,
      data: { url, exchanges },
    };
  },
};
