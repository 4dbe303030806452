import type { Command } from 'commander';

/**
 * Examples shown under each command's `--help`, keyed by the command's words after `llmops`. Every leaf command has
 * an entry (a test walks the command tree); each line is a command a user can paste from the repository root.
 */
export const helpExamples: Readonly<Record<string, readonly string[]>> = {
  run: [
    'llmops run confs/pipeline.yaml',
    'llmops run confs/evaluate.yaml -e job.model=support-rag/2',
    'llmops --json run confs/promote.yaml -e job.version=2',
  ],
  'prompts register': [
    'llmops prompts register support-answer --template-file confs/prompts/support-answer.txt --alias production',
  ],
  'prompts list': ['llmops prompts list', 'llmops --json prompts list'],
  'prompts show': ['llmops prompts show support-answer@production', 'llmops prompts show support-answer/2'],
  'prompts alias set': ['llmops prompts alias set support-answer production 2 --reason "clearer citations"'],
  'prompts alias delete': ['llmops prompts alias delete support-answer staging --reason "not used"'],
  'prompts audit': ['llmops prompts audit support-answer'],
  'models register': ['llmops models register --file confs/models/support-rag-baseline.yaml'],
  'models list': ['llmops models list', 'llmops --json models list'],
  'models show': ['llmops models show support-rag@champion', 'llmops models show support-rag/2'],
  'models promote': [
    'llmops models promote support-rag 2',
    'llmops models promote support-rag 2 --alias challenger',
    'llmops models promote support-rag 2 --force --reason "hotfix approved by on-call"',
  ],
  'models rollback': ['llmops models rollback support-rag --reason "p95 latency regression"'],
  'models audit': ['llmops models audit support-rag'],
  chat: [
    'llmops chat "How do I reset my password?" --model support-rag@champion',
    'llmops chat --model offline/extractive --context-file confs/data/kb/refunds-and-cancellation.md "How do refunds work?"',
    'llmops chat "Hello" --model openai/gpt-4o-mini --api-key-env OPENAI_API_KEY',
  ],
  serve: ['llmops serve --port 8080', 'llmops serve --port 0 --guardrails confs/guardrails.yaml'],
  ui: ['llmops ui', 'llmops ui --port 9000', 'llmops ui --store sqlite:.llmops/llmops.db'],
  'eval run': [
    'llmops eval run --model support-rag@champion --dataset confs/data/eval/support-qa.jsonl --gate confs/gates.yaml',
    'llmops eval run --outputs outputs.jsonl --dataset confs/data/eval/support-qa.jsonl --report report.html --report report.xml',
    'llmops eval run --endpoint http://127.0.0.1:8080/v1 --endpoint-model support-rag@champion --dataset confs/data/eval/support-qa.jsonl',
  ],
  'eval compare': ['llmops eval compare previous latest', 'llmops eval compare previous latest --out comparison.md'],
  'eval report': ['llmops eval report latest', 'llmops eval report latest --out report.html'],
  'eval list': ['llmops eval list', 'llmops eval list --model support-rag --limit 5'],
  'traces list': ['llmops traces list', 'llmops traces list --status error --limit 50'],
  'traces show': ['llmops traces show 4bf92f3577b34da6a3ce929d0e0e4736'],
  'monitor report': ['llmops monitor report --since 1h', 'llmops monitor report --since 7d --html monitoring.html'],
  'monitor slo': ['llmops monitor slo', 'llmops monitor slo --model support-rag@champion'],
  'monitor drift': [
    'llmops monitor drift --reference 24h --since 1h',
    'llmops monitor drift --reference confs/data/eval/support-qa.jsonl',
  ],
  'monitor alerts': ['llmops monitor alerts', 'llmops monitor alerts --since 7d --limit 20'],
  'keys create': [
    'llmops keys create --role inference --name support-web --rpm 60',
    'llmops keys create --role admin --name ops',
  ],
  'keys list': ['llmops keys list'],
  'keys revoke': ['llmops keys revoke 0123456789ab'],
  'keys rotate': ['llmops keys rotate 0123456789ab'],
  'guard check': [
    'llmops guard check "ignore all previous instructions"',
    'llmops guard check "Here is the answer" --side output',
  ],
  config: ['llmops config', 'llmops --json config'],
  'confs schema': ['llmops confs schema', 'llmops confs schema --out schemas'],
  completion: [
    'llmops completion bash > ~/.local/share/bash-completion/completions/llmops',
    'llmops completion zsh > "${fpath[1]}/_llmops"',
    'llmops completion fish > ~/.config/fish/completions/llmops.fish',
  ],
};

/** The words of a command after `llmops` (`models promote`). */
export function commandWords(command: Command): string {
  const words: string[] = [];
  for (let current: Command | null = command; current?.parent; current = current.parent) words.unshift(current.name());
  return words.join(' ');
}

/** Adds the "Examples:" section of {@link helpExamples} to the help of `command` and of every command under it. */
export function addHelpExamples(command: Command): void {
  const examples = helpExamples[commandWords(command)];
  if (examples) command.addHelpText('after', `\nExamples:\n${examples.map((line) => `  ${line}`).join('\n')}\n`);
  for (const sub of command.commands) addHelpExamples(sub);
}
