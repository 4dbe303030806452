/**
 * An OpenAI-wire upstream for the gateway benchmark: plain `node:http` with keep-alive, answering
 * `POST /v1/chat/completions` with one fixed JSON completion, or (when the body asks `"stream": true`)
 * a fixed SSE stream of six chunks and a usage chunk, after `latencyMs` (0 by default).
 *
 *   npx tsx tools/bench/gateway/upstream-stub.ts [--latency-ms 50]   # prints `listening <url>`
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const usage = { prompt_tokens: 24, completion_tokens: 12, total_tokens: 36 };

/** The fixed completion every non-streaming request gets. */
export const stubCompletion = JSON.stringify({
  id: 'chatcmpl-stub',
  object: 'chat.completion',
  created: 1_767_225_600,
  model: 'stub',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Refunds are issued within 14 days of receiving the item.' },
      finish_reason: 'stop',
      logprobs: null,
    },
  ],
  usage,
});

function chunk(delta: object, finishReason: string | null): string {
  const body = {
    id: 'chatcmpl-stub',
    object: 'chat.completion.chunk',
    created: 1_767_225_600,
    model: 'stub',
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

/** The fixed SSE body every streaming request gets. */
export const stubStream =
  chunk({ role: 'assistant', content: '' }, null) +
  ['Refunds are ', 'issued within ', '14 days of ', 'receiving ', 'the item.']
    .map((text) => chunk({ content: text }, null))
    .join('') +
  chunk({}, 'stop') +
  `data: ${JSON.stringify({ id: 'chatcmpl-stub', object: 'chat.completion.chunk', created: 1_767_225_600, model: 'stub', choices: [], usage })}\n\n` +
  'data: [DONE]\n\n';

/** Starts the stub on 127.0.0.1 (a free port unless given). */
export async function startUpstreamStub(options: {
  latencyMs: number;
  port?: number;
}): Promise<{ url: string; server: Server }> {
  const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const streamed = Buffer.concat(parts).includes('"stream":true');
      const answer = () => {
        if (streamed) {
          response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          response.end(stubStream);
        } else {
          response.writeHead(200, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(stubCompletion),
          });
          response.end(stubCompletion);
        }
      };
      if (options.latencyMs > 0) setTimeout(answer, options.latencyMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

if (process.argv[1]?.endsWith('upstream-stub.ts')) {
  const index = process.argv.indexOf('--latency-ms');
  const latencyMs = index > 0 ? Number(process.argv[index + 1]) : 0;
  startUpstreamStub({ latencyMs }).then(({ url }) => process.stdout.write(`listening ${url}\n`));
}
