import { copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAiWireServer, completionReply } from '@llmops/providers/testing';
import type { OpenAiWireServer } from '@llmops/providers/testing';
import { documentedCommands, repositoryRoot } from '../docs/documented-commands.js';
import { shellWords } from '../docs/shell-words.js';
import { runLlmopsAsync } from './run-cli.js';
import { exited, startServing } from './serving-workspace.js';

/**
 * Every `llmops` line of README.md and wiki/*.md (the lines docs-commands.spec.ts parses) RUN with the built bin, in
 * document order, in one scratch workspace: a fresh copy of confs/ where the quickstart pipeline has run once, so
 * there are registered models, evaluation runs, a champion, traces and events. Each line must exit 0, or what its doc
 * comment says ({@link allowedExits}); `serve` lines are started on a free port, awaited until they listen, stopped
 * with SIGTERM and must exit 0. Nothing is skipped: no documented line needs an MLflow server or the internet (a
 * hosted provider is the local wire stub, see {@link placeholders}), so every one runs here.
 */
const commands = documentedCommands();

/** What the scratch workspace provides to the placeholders. */
interface Scratch {
  cwd: string;
  /** A local OpenAI-wire stub, standing in for a provider's base URL (a local Ollama, api.openai.com). */
  upstream: OpenAiWireServer;
  /** The /v1 URL of an `llmops serve` of the scratch workspace, started once for the endpoint evaluations. */
  servedUrl: string;
  /** An inference key of the scratch workspace (LLMOPS_PROVIDER_KEY_SERVED of the endpoint evaluations). */
  apiKey: string;
  /** Per doc file, the id of a key made for its `keys rotate`/`keys revoke` lines (revoked keys cannot rotate). */
  keyIds: Map<string, string>;
  traceId: string;
}

/**
 * The text of a documented line that stands for a value only known at run time (or a fixed port or host of the
 * reader's machine), and what the test puts there. A `$VAR` or `<name>` left after these is a failure naming the
 * doc line: add it here with where its value comes from.
 */
const placeholders: ReadonlyArray<{ text: string; value: (scratch: Scratch, file: string) => string; why: string }> = [
  { text: '"$TRACE_ID"', value: (s) => s.traceId, why: 'a trace of the quickstart traffic (`traces list --json`)' },
  {
    text: '"$KEY_ID"',
    value: (s, file) => s.keyIds.get(file) as string,
    why: 'a key created for the rotation lines of that doc (`keys create --json`)',
  },
  { text: 'http://127.0.0.1:11434/v1', value: (s) => s.upstream.baseUrl, why: 'a local Ollama: the wire stub' },
  { text: 'http://127.0.0.1:8080/v1', value: (s) => s.servedUrl, why: 'the `llmops serve` started for the file' },
  { text: '--port 8080', value: () => '--port 0', why: 'a fixed port may be taken on a shared machine' },
  {
    text: '--model openai/gpt-4o-mini',
    value: (s) => `--model openai/gpt-4o-mini --base-url ${s.upstream.baseUrl}`,
    why: 'api.openai.com is not reachable from a test: the wire stub answers instead (OPENAI_API_KEY is a dummy)',
  },
];

/**
 * The exit codes a doc line allows, from its comment: `# exit 100 when a gate fails` (a condition after the code)
 * allows 0 or 100, `# exits 2` only 2; no such comment, only 0.
 */
function allowedExits(comment: string): number[] {
  const stated = /\bexits? \**(\d+)\**(.*)$/.exec(comment);
  if (!stated) return [0];
  const code = Number(stated[1]);
  return /\b(when|until|if|on)\b/.test(stated[2] as string) ? [0, code] : [code];
}

/**
 * Files a doc line reads that the reader is assumed to have written (the same block writes `my-evaluate.yaml` with
 * `printf`; `doc.md` is "your document").
 */
const readerFiles: Readonly<Record<string, string>> = {
  'my-evaluate.yaml': 'job:\n  concurrency: 2\n  failOnGate: false\n',
  'doc.md': 'Refunds are issued within 14 days of receiving the returned item.\n',
};

/**
 * State a doc section starts from that the lines before it in document order undo, set up just before the line (by
 * its file and text): the drift runbook rolls back a champion that replaced another, but the "Roll back" runbook
 * above it has already rolled back.
 */
const arrangements: ReadonlyArray<{ file: string; line: string; args: string[]; why: string }> = [
  {
    file: 'wiki/Runbooks.md',
    line: 'npx llmops models rollback support-rag --reason "drift alert: champion failed its gate on re-evaluation"',
    args: ['models', 'promote', 'support-rag', '2', '--force', '--reason', 'docs test: a champion to roll back'],
    why: 'a rollback needs a previous champion',
  },
];

/** The environment of the run of a line: its `VAR=value` prefixes, plus what the scratch workspace provides. */
interface PreparedLine {
  args: string[];
  env: Record<string, string>;
}

/**
 * Turns a documented line into the bin's arguments and environment: placeholders replaced, `VAR=value` prefixes moved
 * to the environment, an output redirection (`> file`) dropped (stdout is captured instead, nothing is written to
 * the reader's home) and the `)` of a process substitution (`source <(npx llmops completion bash)`) removed.
 * @throws Error naming the doc line when a placeholder is not in {@link placeholders}.
 */
function prepare(command: { where: string; line: string }, scratch: Scratch): PreparedLine {
  let line = command.line;
  const file = command.where.slice(0, command.where.lastIndexOf(':'));
  for (const placeholder of placeholders) line = line.split(placeholder.text).join(placeholder.value(scratch, file));
  const processSubstitution = /<\(\s*(.*)\)\s*$/.exec(line);
  if (processSubstitution) line = processSubstitution[1] as string;
  const redirection = /\s>\s*\S+\s*$/.exec(line);
  if (redirection) line = line.slice(0, redirection.index);
  const unknown = /\$\{?\w+|<[\w-]+>/.exec(line);
  if (unknown)
    throw new Error(`${command.where}: placeholder ${unknown[0]} is not in the placeholders table of this test`);
  const prefix = line.slice(0, line.search(/(^|\s)(npx\s+)?llmops(\s|$)/) + 1);
  const env: Record<string, string> = {};
  for (const word of shellWords(prefix)) {
    const assignment = /^(\w+)=(.*)$/.exec(word);
    if (assignment) env[assignment[1] as string] = assignment[2] as string;
  }
  const words = shellWords(line);
  return { args: words.slice(words.indexOf('llmops') + 1), env };
}

/** Starts a documented `serve`/`ui` line, waits until it listens, stops it with SIGTERM and resolves its exit code. */
async function startAndStop(args: string[], cwd: string, env: Record<string, string>) {
  const served = await startServing(args, cwd, { PORT: '0', ...env });
  const status = exited(served.child);
  served.child.kill('SIGTERM');
  return { status: await status, ...served.output() };
}

describe('every llmops line of README.md and wiki/*.md, run with the built bin in a scratch workspace', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'llmops-docs-run-'));
  const scratch = { cwd } as Scratch;
  let server: Awaited<ReturnType<typeof startServing>> | undefined;
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const result = await runLlmopsAsync(args, { cwd, env, timeoutMs: 280_000 });
    if (result.status !== 0)
      throw new Error(`llmops ${args.join(' ')} exited with ${result.status}: ${result.stderr.slice(-2000)}`);
    return result.stdout;
  };

  beforeAll(async () => {
    cpSync(join(repositoryRoot, 'confs'), join(cwd, 'confs'), { recursive: true });
    copyFileSync(join(repositoryRoot, 'llmops.yaml'), join(cwd, 'llmops.yaml'));
    await run(['run', 'confs/pipeline.yaml']);
    scratch.upstream = await startOpenAiWireServer();
    scratch.apiKey = (
      JSON.parse(await run(['--json', 'keys', 'create', '--role', 'inference', '--name', 'docs'])) as { apiKey: string }
    ).apiKey;
    scratch.keyIds = new Map();
    for (const command of commands.filter((entry) => entry.line.includes('$KEY_ID'))) {
      const file = command.where.slice(0, command.where.lastIndexOf(':'));
      if (scratch.keyIds.has(file)) continue;
      const created = JSON.parse(
        await run(['--json', 'keys', 'create', '--role', 'inference', '--name', file.replace(/\//g, ' ')]),
      ) as {
        key: { id: string };
      };
      scratch.keyIds.set(file, created.key.id);
    }
    for (const [name, text] of Object.entries(readerFiles)) writeFileSync(join(cwd, name), text);
    const traces = JSON.parse(await run(['--json', 'traces', 'list'])) as Array<{ traceId: string }>;
    if (!traces[0]) throw new Error('the quickstart left no trace to show');
    scratch.traceId = traces[0].traceId;
    server = await startServing(['serve', '--port', '0', '--quiet'], cwd, { LLMOPS_ANONYMOUS_INFERENCE: 'false' });
    scratch.servedUrl = `${server.url}/v1`;
  }, 300_000);

  afterAll(async () => {
    if (server) {
      const status = exited(server.child);
      server.child.kill('SIGTERM');
      await status;
    }
    await scratch.upstream?.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('finds the documented lines, and every placeholder of the table is used by one', () => {
    expect(commands.length).toBeGreaterThan(90);
    for (const placeholder of placeholders)
      expect(commands.some((command) => command.line.includes(placeholder.text)) ? placeholder.text : '').toBe(
        placeholder.text,
      );
  });

  it.each(commands.map((command) => [command.where, command.line, command]))(
    '%s: %s',
    async (_where, _line, command) => {
      const { args, env } = prepare(command, scratch);
      for (const arrangement of arrangements)
        if (command.where.startsWith(`${arrangement.file}:`) && arrangement.line === command.line)
          await run(arrangement.args);
      const runEnv = {
        OPENAI_API_KEY: 'sk-docs-test-dummy',
        // The key of `keys create`, exported for the endpoint evaluations as wiki/Evaluation.md says.
        LLMOPS_PROVIDER_KEY_SERVED: scratch.apiKey,
        LLMOPS_PROVIDER_KEY_SERVED_HOSTS: new URL(scratch.servedUrl).host,
        ...env,
      };
      if (args.includes('--stream'))
        scratch.upstream.reply('/v1/chat/completions', {
          kind: 'sse',
          events: [
            `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }] })}`,
            'data: [DONE]',
          ],
        });
      else scratch.upstream.reply('/v1/chat/completions', completionReply('Hello from the stub.'));
      const result =
        args[0] === 'serve' || args[0] === 'ui'
          ? await startAndStop(args, cwd, runEnv)
          : await runLlmopsAsync(args, { cwd, env: runEnv, timeoutMs: 280_000 });
      const allowed = allowedExits(command.comment);
      if (!allowed.includes(result.status as number))
        throw new Error(
          `${command.where} exited ${result.status}, expected ${allowed.join(' or ')}:\n${result.stderr.slice(-2000)}`,
        );
    },
    300_000,
  );
});
