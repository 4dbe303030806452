import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { childEnv, llmopsBin } from './run-cli.js';

/** A child process started in its own process group, so that it is stopped with everything it started. */
export interface GroupChild {
  child: ChildProcess;
  /** Its standard output and error so far, for failure messages. */
  output: () => string;
  /** Resolves with the exit status (or the signal's name) once it has ended. */
  exited: Promise<number | string | null>;
  /**
   * SIGTERM to the whole group, SIGKILL to the group when it has not ended within `graceMs`; resolves with how it
   * ended. Never waits longer than `graceMs` plus a few seconds.
   */
  stop: (graceMs?: number) => Promise<number | string | null>;
}

const groups = new Set<number>();
let exitHookInstalled = false;

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group has ended already.
  }
}

/** If the test process ends without stopping its children (a crash, a timeout), their groups go with it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of groups) signalGroup(pid, 'SIGKILL');
  });
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | 'deadline'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), ms)));
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Spawns `command` as the leader of a new process group, collecting its output. */
export function spawnGroup(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): GroupChild {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true });
  const pid = child.pid;
  if (pid !== undefined) groups.add(pid);
  installExitHook();
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (output += text));
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('error', (error) => resolve(`cannot start ${command}: ${error.message}`));
    child.once('exit', (status, signal) => resolve(status ?? signal));
  });
  let stopping: Promise<number | string | null> | undefined;
  const stopOnce = async (graceMs: number) => {
    if (pid === undefined) return exited;
    signalGroup(pid, 'SIGTERM');
    let ended = await withDeadline(exited, graceMs);
    if (ended === 'deadline') {
      signalGroup(pid, 'SIGKILL');
      ended = await withDeadline(exited, 5_000);
    }
    // Grandchildren of the group may outlive its leader by a moment.
    signalGroup(pid, 'SIGKILL');
    groups.delete(pid);
    return ended === 'deadline' ? 'SIGKILL (did not end)' : ended;
  };
  // A second stop (the test's, then the teardown's) waits for the first instead of signalling a reused pid.
  const stop = (graceMs = 20_000) => (stopping ??= stopOnce(graceMs));
  return { child, output: () => output, exited, stop };
}

/** Resolves once `read()` matches `pattern`, with the first group; rejects when the child ends or `ms` pass. */
async function waitForOutput(started: GroupChild, pattern: RegExp, ms: number): Promise<string> {
  const deadline = Date.now() + ms;
  let ended = false;
  void started.exited.then(() => (ended = true));
  while (Date.now() < deadline) {
    const match = pattern.exec(started.output());
    if (match) return match[1] ?? match[0];
    if (ended) throw new Error(`the process ended before printing ${pattern}: ${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the process did not print ${pattern} within ${ms / 1000} s: ${started.output()}`);
}

/** One `llmops serve` replica: its URL and its process group. */
export interface Replica extends GroupChild {
  url: string;
}

/**
 * Starts the built `llmops` bin as `llmops <args>` (a `serve` command) in its own process group, in `cwd` with the
 * test's environment plus `env`, and resolves once it prints where it listens.
 */
export async function startReplica(options: {
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
}): Promise<Replica> {
  const started = spawnGroup(process.execPath, [llmopsBin, ...options.args], {
    cwd: options.cwd,
    env: childEnv(options.env) as NodeJS.ProcessEnv,
  });
  try {
    const url = await waitForOutput(started, /listening on (http:\/\/\S+)/, 60_000);
    return { ...started, url };
  } catch (error) {
    await started.stop(5_000);
    throw error;
  }
}

/** The nginx of Debian's package (`apt-get install -y nginx`; `.ci/run` installs it when missing). */
export const nginxBinary = '/usr/sbin/nginx';

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** nginx in front of the replicas: its URL, its process group and its folder (config, logs). */
export interface LoadBalancer extends GroupChild {
  url: string;
  directory: string;
  /** The header that pins a request to one replica by its name; without it nginx takes turns (round robin). */
  pinHeader: string;
}

/**
 * The nginx config of the test: one upstream of every replica (round robin), one upstream per replica chosen by the
 * `x-test-replica` header (`a`, `b`…), SSE passed through unbuffered, and the replica that answered named in
 * `x-test-upstream`. Everything nginx writes stays in `directory`; nothing is read from /etc/nginx.
 */
function nginxConfig(options: { directory: string; port: number; replicas: Record<string, string> }): string {
  const servers = Object.values(options.replicas).map((url) => `    server ${new URL(url).host};`);
  const pinned = Object.entries(options.replicas).map(
    ([name, url]) => `  upstream replica_${name} {\n    server ${new URL(url).host};\n  }`,
  );
  const choices = Object.keys(options.replicas).map((name) => `    ${name} replica_${name};`);
  const path = (name: string) => join(options.directory, name);
  return [
    // As root, nginx's workers drop to an unprivileged account (Debian's names); otherwise they run as the caller.
    ...(process.getuid?.() === 0 ? ['user nobody nogroup;'] : []),
    'worker_processes 1;',
    'daemon off;',
    'master_process on;',
    `pid ${path('nginx.pid')};`,
    `error_log ${path('error.log')} warn;`,
    'events {',
    '  worker_connections 256;',
    '}',
    'http {',
    `  access_log ${path('access.log')};`,
    `  client_body_temp_path ${path('client-body')};`,
    `  proxy_temp_path ${path('proxy')};`,
    `  fastcgi_temp_path ${path('fastcgi')};`,
    `  uwsgi_temp_path ${path('uwsgi')};`,
    `  scgi_temp_path ${path('scgi')};`,
    '  upstream replicas {',
    ...servers,
    '  }',
    ...pinned,
    '  map $http_x_test_replica $llmops_upstream {',
    '    default replicas;',
    ...choices,
    '  }',
    '  server {',
    `    listen 127.0.0.1:${options.port};`,
    '    location / {',
    '      proxy_pass http://$llmops_upstream;',
    '      proxy_http_version 1.1;',
    '      proxy_set_header Connection "";',
    '      proxy_set_header Host $host;',
    '      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    // Streams reach the client chunk by chunk, as they leave the replica.
    '      proxy_buffering off;',
    '      proxy_read_timeout 60s;',
    '      add_header x-test-upstream $upstream_addr always;',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * Starts nginx as a child (`daemon off`, its own process group) on a free loopback port with a generated config in a
 * temporary folder (`-p`, `-c`, `-e`: no path under /etc or /var), balancing `replicas` (name → URL), and resolves once
 * it answers.
 * @throws Error naming the missing binary or nginx's own complaint.
 */
export async function startNginx(options: { replicas: Record<string, string> }): Promise<LoadBalancer> {
  if (!existsSync(nginxBinary))
    throw new Error(`${nginxBinary} is missing: install Debian's nginx (apt-get install -y nginx; .ci/run does)`);
  const directory = mkdtempSync(join(tmpdir(), 'llmops-nginx-'));
  // nginx's unprivileged workers must reach their temporary folders inside it.
  chmodSync(directory, 0o755);
  const port = await freeLoopbackPort();
  const config = join(directory, 'nginx.conf');
  writeFileSync(config, nginxConfig({ directory, port, replicas: options.replicas }));
  const flags = ['-p', `${directory}/`, '-c', config, '-e', join(directory, 'error.log')];
  const checked = spawnSync(nginxBinary, [...flags, '-t'], { encoding: 'utf8', timeout: 30_000 });
  if (checked.status !== 0) throw new Error(`nginx -t refused the generated config: ${checked.stderr}`);
  const started = spawnGroup(nginxBinary, flags, { cwd: directory, env: { PATH: process.env['PATH'] ?? '' } });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      // The replicas' liveness probe, through nginx.
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline || started.child.exitCode !== null) {
      await started.stop(5_000);
      const log = existsSync(join(directory, 'error.log')) ? readFileSync(join(directory, 'error.log'), 'utf8') : '';
      throw new Error(`nginx did not answer on ${url}: ${started.output()} ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const stop = async (graceMs = 10_000) => {
    const ended = await started.stop(graceMs);
    rmSync(directory, { recursive: true, force: true });
    return ended;
  };
  return { ...started, stop, url, directory, pinHeader: 'x-test-replica' };
}
