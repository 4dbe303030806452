/**
 * What the model reranker path (`retrieval.reranker`) adds in CPU per query to the process that retrieves, against a
 * local stub endpoint (issue 11 item 4): the reranker's quality is not measured here (there is no cross-encoder or
 * LLM on this machine), only what llmops itself spends building the request, sending it over loopback and reading
 * the answer.
 *
 *   npx tsx --conditions=@llmops/source tools/bench/retrieval/model-reranker-cpu.ts [--rounds 3]
 *
 * On the skerry manual with the shipped improved spec's retrieval (50 candidates, lexical rerank, k 5, support
 * compression 0.55): the shipped path, then the same with `reranker: { api: rerank }` and with `{ api: chat }`, paired
 * and interleaved question by question for `--rounds` rounds. The stub runs in a child process (its CPU is not
 * counted), answers the 50 documents reversed at once, and is killed at the end. CPU time is `process.cpuUsage()`
 * (user + system) of this one process; wall time is printed too but includes the stub's; print `uptime`, the machine
 * is shared.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { ProviderCredentials } from '@llmops/kernel';
import { countTokens, splitSentences } from '@llmops/providers';
import {
  CorpusIndex,
  FileCorpusSource,
  HttpPassageReranker,
  LexicalReranker,
  chunkWith,
  retrievePassages,
} from '@llmops/serving';
import { benchRetrieval } from '../answerer/answer-bench-data.js';
import { option } from '../command-line.js';

const rounds = Number(option('rounds') ?? 3);
const settings = benchRetrieval(true);
const tools = { countTokens: (text: string) => countTokens(text), splitSentences };

/** The stub: /rerank answers the documents reversed (top_n of them); /chat/completions the numbers reversed. */
const stubSource = `
const http = require('node:http');
const server = http.createServer((request, response) => {
  let text = '';
  request.on('data', (chunk) => (text += chunk));
  request.on('end', () => {
    const body = JSON.parse(text);
    let answer;
    if (request.url.endsWith('/rerank')) {
      const indexes = body.documents.map((_, index) => index).reverse().slice(0, body.top_n);
      answer = { results: indexes.map((index, rank) => ({ index, relevance_score: 1 - rank / 100 })) };
    } else {
      const count = (body.messages[1].content.match(/^\\[\\d+\\] /gm) || []).length;
      const numbers = Array.from({ length: count }, (_, index) => count - index);
      answer = { choices: [{ message: { role: 'assistant', content: JSON.stringify(numbers) } }] };
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer));
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;
const child = spawn(process.execPath, ['-e', stubSource], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve, reject) => {
  child.stdout.once('data', (data: Buffer) => resolve(Number(data.toString('utf8').trim())));
  child.once('exit', (code) => reject(new Error(`the stub exited (${code})`)));
});
const baseUrl = `http://127.0.0.1:${port}/v1`;

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}
async function measured(work: () => Promise<unknown>): Promise<{ cpu: number; wall: number }> {
  const before = process.cpuUsage();
  const start = performance.now();
  await work();
  const spent = process.cpuUsage(before);
  return { cpu: (spent.user + spent.system) / 1000, wall: performance.now() - start };
}
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

try {
  const snapshot = await new FileCorpusSource({ root: process.cwd() }).read('confs/data/manual/');
  const index = new CorpusIndex(
    snapshot.documents.flatMap((document) => chunkWith(document, settings.chunking, tools)),
  );
  const questions = readFileSync('confs/data/eval/manual-qa.jsonl', 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { input: string }).input);
  const lexical = new LexicalReranker();
  const credentials = ProviderCredentials.from({ env: {} });
  const modelRerankers = {
    rerank: new HttpPassageReranker(
      { api: 'rerank', baseUrl, model: 'stub', timeoutMs: 2000 },
      { env: {}, credentials },
    ),
    chat: new HttpPassageReranker({ api: 'chat', baseUrl, model: 'stub', timeoutMs: 2000 }, { env: {}, credentials }),
  };
  const failures: string[] = [];
  const run = (query: string, api?: 'rerank' | 'chat') => async () => {
    const outcome = await retrievePassages({
      index,
      query,
      settings,
      reranker: lexical,
      ...(api ? { modelReranker: modelRerankers[api] } : {}),
    });
    if (outcome.reranker && outcome.reranker.outcome !== 'ok') failures.push(outcome.reranker.outcome);
  };
  // Warm up each path once per question.
  for (const query of questions) {
    await run(query)();
    await run(query, 'rerank')();
    await run(query, 'chat')();
  }
  type Sample = { cpu: number; wall: number };
  const results: Record<'shipped' | 'rerank' | 'chat', Sample[]> = { shipped: [], rerank: [], chat: [] };
  console.log(`load before ${load()}; stub at ${baseUrl}; ${questions.length} questions × ${rounds} rounds`);
  for (let round = 0; round < rounds; round += 1)
    for (const query of questions) {
      results.shipped.push(await measured(run(query)));
      results.rerank.push(await measured(run(query, 'rerank')));
      results.chat.push(await measured(run(query, 'chat')));
    }
  console.log(`load after ${load()}; reranker failures: ${failures.length}`);
  console.log('| retrieval (skerry manual) | CPU ms median | CPU ms p90 | wall ms median | wall ms p90 |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, values] of Object.entries(results)) {
    const cpu = values.map((value) => value.cpu);
    const wall = values.map((value) => value.wall);
    console.log(
      `| ${name === 'shipped' ? 'shipped (lexical rerank)' : `+ reranker api: ${name} (stub)`} | ${quantile(cpu, 0.5).toFixed(2)} | ${quantile(cpu, 0.9).toFixed(2)} | ${quantile(wall, 0.5).toFixed(2)} | ${quantile(wall, 0.9).toFixed(2)} |`,
    );
  }
} finally {
  child.kill();
}
