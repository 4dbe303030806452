/**
 * Measures the opt-in encoder classifier (the quantised multilingual sentence encoder with the team's head): the
 * time and memory it takes to load, and the CPU it adds per message, beside the shipped n-gram classifier's scoring.
 *
 *   npx tsx --conditions=@llmops/source tools/bench/guardrails/encoder-classifier.ts <encoder weights> [--rounds 3]
 *
 * `<encoder weights>` is the file `tools/guardrails/encoder/quantise-encoder.py write` builds. Texts: the
 * project's own benign questions (support-qa, manual-qa, customer-questions) and the 20 edge support questions;
 * each round appends the round number so no remembered score is reused. Prints p50 / p95 of CPU time per text
 * (`process.cpuUsage`, so other processes on a loaded machine count less than in wall time) and of wall time.
 */
import { performance } from 'node:perf_hooks';
import { encoderClassifierAt, shippedLearnedClassifier } from '@llmops/serving';
import { benignQuestions } from './benign-questions.js';

const args = process.argv.slice(2);
const weights = args[0];
if (!weights) {
  console.error('usage: encoder-classifier.ts <encoder weights> [--rounds N]');
  process.exit(2);
}
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 3;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const root = process.cwd();
const questions = benignQuestions(root);

const rssBefore = process.memoryUsage().rss;
const loadStarted = performance.now();
const encoder = encoderClassifierAt(weights);
const loadMs = performance.now() - loadStarted;
const rssAfter = process.memoryUsage().rss;
const ngrams = shippedLearnedClassifier();
encoder.scores('warm up the encoder');
ngrams.scores('warm up the n-gram classifier');

const timing = { encoderCpu: [] as number[], encoderWall: [] as number[], ngramCpu: [] as number[] };
let flagged = 0;
for (let round = 0; round < rounds; round += 1) {
  for (const question of questions) {
    const text = `${question} ${round}`;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const scores = encoder.scores(text);
    timing.encoderWall.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    timing.encoderCpu.push((used.user + used.system) / 1000);
    if (
      round === 0 &&
      Object.entries(scores).some(([label, score]) => score >= encoder.thresholds[label as keyof typeof scores])
    )
      flagged += 1;
    const ngramCpu = process.cpuUsage();
    ngrams.scores(text);
    const ngramUsed = process.cpuUsage(ngramCpu);
    timing.ngramCpu.push((ngramUsed.user + ngramUsed.system) / 1000);
  }
}
const ms = (values: number[]) => `${percentile(values, 50).toFixed(2)} / ${percentile(values, 95).toFixed(2)}`;
console.log(
  `encoder weights ${weights}: loaded in ${loadMs.toFixed(0)} ms, RSS +${((rssAfter - rssBefore) / 2 ** 20).toFixed(0)} MiB`,
);
console.log(`${questions.length} own questions × ${rounds} rounds, p50 / p95 ms per text:`);
console.log(`| measure | encoder classifier | n-gram classifier |`);
console.log(`| --- | --- | --- |`);
console.log(`| CPU | ${ms(timing.encoderCpu)} | ${ms(timing.ngramCpu)} |`);
console.log(`| wall | ${ms(timing.encoderWall)} | — |`);
console.log(
  `own questions flagged by the encoder's head (any label): ${flagged} of ${questions.length} (trained on about half of them)`,
);
