/**
 * The gateway benchmark: what a proxied chat completion costs llmops, beside Portkey's OSS gateway,
 * on loopback against one upstream stub (`upstream-stub.ts`, keep-alive, fixed JSON and SSE bodies).
 *
 *   npx tsx tools/bench/gateway/proxy-overhead.ts [--seconds 10] [--latency-ms 0] [--portkey /tmp/portkey]
 *       [--long 100000] [--only llmops-plain,portkey] [--cpu-prof <dir>]
 *
 * Each target is a separate process (llmops: `llmops-proxy.ts`, the whole API with monitoring on; Portkey:
 * `node <portkey>/node_modules/@portkey-ai/gateway/build/start-server.js --headless`, skipped when the
 * folder is absent — install with `npm i --prefix /tmp/portkey @portkey-ai/gateway`). autocannon drives
 * each from this process, bounded in time. Per target it prints:
 * - CPU per request: the server's user+system CPU (from /proc/<pid>/stat) over a 50-connection run ÷ requests;
 * - throughput at 50 connections;
 * - latency p50/p99 at 1 connection, and the added latency (minus the stub's own, measured the same way);
 * - for llmops, streaming (`stream: true`) CPU per request and throughput;
 * - with `--long N`: RSS before and after N more requests (at 50 connections).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const repo = join(import.meta.dirname, '../../..');
const node = join(repo, 'node_modules/.bin/node');
// `--import tsx` keeps the server in this pid (the tsx CLI would run it in a child process).
const tsx = ['--import', 'tsx'];

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

const seconds = Number(option('seconds') ?? 10);
const latencyMs = Number(option('latency-ms') ?? 0);
const portkeyFolder = option('portkey') ?? '/tmp/portkey';
const longRequests = Number(option('long') ?? 0);
const only = option('only')?.split(',');
const cpuProfileDir = option('cpu-prof');
const clockTicks = 100;

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  model: string;
  pid: number;
  stream: boolean;
}

/** Starts a process and waits for its `listening <url>` line (or Portkey's "Ready for connections"). */
async function start(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; quiet?: boolean } = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(command, args, {
    cwd: repo,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', options.quiet ? 'ignore' : 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)));
    lines.on('line', (line) => {
      const match = /listening (\S+)|Ready for connections/.exec(line);
      if (match) resolve({ child, url: match[1] ?? '' });
    });
  });
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
}

function body(target: Target): string {
  return JSON.stringify({
    model: target.model,
    messages: [{ role: 'user', content: 'How long do refunds take once the parcel is back?' }],
    ...(target.stream ? { stream: true } : {}),
  });
}

async function load(target: Target, connections: number, limit: { duration?: number; amount?: number }) {
  const before = cpuSeconds(target.pid);
  const result = await autocannon({
    url: `${target.url}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: body(target),
    connections,
    ...limit,
  });
  const cpu = cpuSeconds(target.pid) - before;
  const requests = result.requests.total;
  const failures = result.non2xx + result.errors + result.timeouts;
  return {
    requests,
    failures,
    cpuMsPerRequest: (cpu * 1000) / Math.max(1, requests),
    throughput: requests / (limit.duration ?? result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

const sequentialAgent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One request at a time on one keep-alive connection, each timed alone (autocannon's histogram is in whole ms). */
async function sequential(target: Target, durationSeconds: number) {
  const payload = body(target);
  const url = new URL(`${target.url}/v1/chat/completions`);
  const latencies: number[] = [];
  let failures = 0;
  const until = performance.now() + durationSeconds * 1000;
  while (performance.now() < until) {
    const sent = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method: 'POST',
          agent: sequentialAgent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            ...target.headers,
          },
        },
        (response) => {
          response.on('data', () => undefined);
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
    latencies.push(performance.now() - sent);
    if (status !== 200) failures += 1;
  }
  latencies.sort((left, right) => left - right);
  const at = (fraction: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil(fraction * latencies.length) - 1)] ?? 0;
  return { p50: at(0.5), p99: at(0.99), failures };
}

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  const stop = () => children.forEach((child) => child.kill('SIGTERM'));
  process.on('exit', stop);
  try {
    const stub = await start(node, [
      ...tsx,
      join(import.meta.dirname, 'upstream-stub.ts'),
      '--latency-ms',
      String(latencyMs),
    ]);
    children.push(stub.child);
    const llmops = await start(node, [
      ...(cpuProfileDir ? [`--cpu-prof`, `--cpu-prof-dir=${cpuProfileDir}`] : []),
      ...tsx,
      '--conditions=@llmops/source',
      join(import.meta.dirname, 'llmops-proxy.ts'),
      '--upstream',
      stub.url,
    ]);
    children.push(llmops.child);
    const targets: Target[] = [
      { name: 'stub direct', url: stub.url, headers: {}, model: 'stub', pid: stub.child.pid as number, stream: false },
      {
        name: 'llmops-plain',
        url: llmops.url,
        headers: {},
        model: 'stub-plain@champion',
        pid: llmops.child.pid as number,
        stream: false,
      },
      {
        name: 'llmops-guarded',
        url: llmops.url,
        headers: {},
        model: 'stub-guarded@champion',
        pid: llmops.child.pid as number,
        stream: false,
      },
      {
        name: 'llmops-stream',
        url: llmops.url,
        headers: {},
        model: 'stub-plain@champion',
        pid: llmops.child.pid as number,
        stream: true,
      },
    ];
    const portkeyServer = join(portkeyFolder, 'node_modules/@portkey-ai/gateway/build/start-server.js');
    if (existsSync(portkeyServer)) {
      const port = 18_787;
      const portkey = await start(node, [portkeyServer, '--headless', `--port=${port}`], {
        env: { NODE_ENV: 'production' },
        quiet: true,
      });
      children.push(portkey.child);
      const headers = {
        'x-portkey-provider': 'openai',
        'x-portkey-custom-host': `${stub.url}/v1`,
        authorization: 'Bearer sk-bench',
      };
      const pid = portkey.child.pid as number;
      targets.push({ name: 'portkey', url: `http://127.0.0.1:${port}`, headers, model: 'stub', pid, stream: false });
      targets.push({
        name: 'portkey-stream',
        url: `http://127.0.0.1:${port}`,
        headers,
        model: 'stub',
        pid,
        stream: true,
      });
    } else process.stdout.write(`Portkey skipped: ${portkeyServer} is absent\n`);

    const rows: string[][] = [
      ['target', 'CPU ms/req', 'req/s @50', 'p50 ms @1', 'p99 ms @1', 'added p50/p99 ms', 'failures'],
    ];
    let stubLatency = { p50: 0, p99: 0 };
    let portkeyThroughput = 0;
    for (const target of targets) {
      if (only && target.name !== 'stub direct' && !only.includes(target.name)) continue;
      process.stderr.write(`${target.name}…\n`);
      await load(target, 10, { amount: 2_000 }); // warm-up: JIT, connection pools
      const busy = await load(target, 50, { duration: seconds });
      const single = await sequential(target, Math.max(3, seconds / 2));
      if (target.name === 'stub direct') stubLatency = single;
      if (target.name === 'portkey') portkeyThroughput = busy.throughput;
      rows.push([
        target.name,
        busy.cpuMsPerRequest.toFixed(3),
        busy.throughput.toFixed(0),
        single.p50.toFixed(3),
        single.p99.toFixed(3),
        target.name === 'stub direct'
          ? '-'
          : `${(single.p50 - stubLatency.p50).toFixed(2)} / ${(single.p99 - stubLatency.p99).toFixed(2)}`,
        String(busy.failures + single.failures),
      ]);
    }
    if (longRequests > 0) {
      const target = targets[1] as Target;
      const before = rssMiB(target.pid);
      const long = await load(target, 50, { amount: longRequests });
      const after = rssMiB(target.pid);
      rows.push([
        `${target.name} RSS over ${long.requests} req`,
        `${before.toFixed(0)} → ${after.toFixed(0)} MiB`,
        `${(((after - before) / before) * 100).toFixed(1)} %`,
        '',
        '',
        '',
        String(long.failures),
      ]);
    }
    const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
    process.stdout.write(
      `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.versions.node}; stub latency ${latencyMs} ms; ` +
        `${seconds} s at 50 connections, ${Math.max(3, seconds / 2)} s at 1 connection\n`,
    );
    for (const row of rows)
      process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}\n`);
    if (portkeyThroughput > 0) {
      const plain = rows.find((row) => row[0] === 'llmops-plain');
      if (plain)
        process.stdout.write(
          `llmops-plain throughput / Portkey's: ${(Number(plain[2]) / portkeyThroughput).toFixed(2)}\n`,
        );
    }
  } finally {
    stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
