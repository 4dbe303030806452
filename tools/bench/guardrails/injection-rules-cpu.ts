/**
 * The injection rules alone (`detectInjection`), CPU per text, on questions (the input check, run on every message)
 * and on corpus paragraphs (the passage screen), paired against another implementation of the rules:
 *
 *   npx tsx --conditions=@llmops/source tools/bench/guardrails/injection-rules-cpu.ts --compare MODULE [--rounds 5]
 *
 * MODULE exports `detectInjection` (say, an earlier commit's `injection-heuristics.ts` saved beside the current one,
 * untracked, so its imports resolve; delete it after). Both read the same texts, alternating text by text and which
 * goes first, so both see the same load and share the normaliser's memory of recent texts evenly. CPU time is
 * `process.cpuUsage()` of this process (user + system); report `uptime` with the numbers. Texts: the own benign
 * questions and the 20 edge questions (`benign-questions.ts`); the paragraphs of `confs/data/kb` and
 * `confs/data/manual`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { detectInjection } from '@llmops/serving';
import { option } from '../command-line.js';
import { benignQuestions } from './benign-questions.js';

type Detect = (text: string) => unknown[];

const comparePath = option('compare');
if (!comparePath) {
  console.error('usage: injection-rules-cpu.ts --compare MODULE [--rounds N]');
  process.exit(2);
}
const rounds = Number(option('rounds') ?? 5);
const other = ((await import(pathToFileURL(resolve(comparePath)).href)) as { detectInjection: Detect }).detectInjection;
const current: Detect = detectInjection;

function paragraphs(root: string): string[] {
  const texts: string[] = [];
  for (const corpus of ['kb', 'manual']) {
    const folder = join(root, 'confs/data', corpus);
    for (const name of readdirSync(folder).sort())
      for (const text of readFileSync(join(folder, name), 'utf8').split(/\n\s*\n/))
        if (text.trim() !== '') texts.push(text.trim());
  }
  return texts;
}

/** CPU microseconds of one call. */
function cpuOf(detect: Detect, text: string): number {
  const started = process.cpuUsage();
  detect(text);
  const used = process.cpuUsage(started);
  return used.user + used.system;
}

const sets = { questions: benignQuestions(process.cwd()), paragraphs: paragraphs(process.cwd()) };
for (const text of sets.questions.slice(0, 20)) {
  current(text);
  other(text);
}
console.log(
  `load ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}; ${rounds} rounds`,
);
for (const [name, texts] of Object.entries(sets)) {
  for (let round = 1; round <= rounds; round += 1) {
    let currentMicros = 0;
    let otherMicros = 0;
    texts.forEach((text, index) => {
      // A round number appended, so no text is remembered from an earlier round.
      const read = `${text} ${round}`;
      if ((index + round) % 2 === 0) {
        currentMicros += cpuOf(current, read);
        otherMicros += cpuOf(other, read);
      } else {
        otherMicros += cpuOf(other, read);
        currentMicros += cpuOf(current, read);
      }
    });
    console.log(
      `${name.padEnd(10)} round ${round}: ${texts.length} texts, µs CPU per text: current ${(currentMicros / texts.length).toFixed(1)}, compared ${(otherMicros / texts.length).toFixed(1)}, ratio ${(currentMicros / otherMicros).toFixed(2)}`,
    );
  }
}
console.log(
  `load ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
