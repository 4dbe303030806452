/**
 * The gateway benchmark: what a proxied chat completion costs llmops, beside Portkey's OSS gateway,
 * on loopback against one upstream stub (`upstream-stub.ts`, keep-alive, fixed JSON and SSE bodies).
 *
 *   npx tsx tools/bench/gateway/proxy-overhead.ts [--seconds 12] [--rounds 3] [--latency-ms 0] [--portkey /tmp/portkey]
 *       [--baseline <another checkout>] [--long 100000] [--only llmops-plain,portkey] [--cpu-prof <dir>] [--pin]
 *
 * With `--baseline`, llmops is also started from that checkout (its targets are prefixed `baseline `), so a
 * before and an after are measured in one run. The machine is shared: every target is measured in `--rounds`
 * slices taken in turn (round 1: every target, round 2: every target, …), so all of them see the same load.
 *
 * Each target is a separate process (llmops: `llmops-proxy.ts`, the whole API with monitoring on; Portkey:
 * `node <portkey>/node_modules/@portkey-ai/gateway/build/start-server.js --headless`, skipped when the
 * folder is absent — install with `npm i --prefix /tmp/portkey @portkey-ai/gateway`). autocannon drives
 * each from this process, bounded in time. Per target it prints:
 * - CPU per request: the server's user+system CPU (from /proc/<pid>/stat) over a 50-connection run ÷ requests;
 * - throughput at 50 connections;
 * - CPU per request at 1 connection (the server's CPU over the sequential run ÷ its requests: the request path's own
 *   cost, which sets the latency at one connection);
 * - latency p50/p99 at 1 connection, and the added latency (minus the stub's own, measured the same way);
 * - for llmops, streaming (`stream: true`) CPU per request and throughput;
 * - with `--long N`: RSS of llmops before N more requests (at 50 connections) and after each quarter of them, and
 *   from the process's start (its RSS once listening, before any request) to the end.
 *
 * The floor (`floor-proxy.ts`, a minimal keep-alive `node:http` proxy piping bytes, plain and streamed) is measured
 * beside them: what Node itself costs on this machine, and the throughput it reaches against Portkey's.
 *
 * With `--pin` (Linux, `taskset`), the gateways (llmops, the baseline, Portkey) run on CPU 1 and the stub and the load
 * generator (this process) on CPU 0, so a gateway does not share its core with the load it is measured under.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { option } from '../command-line.js';

const repo = join(import.meta.dirname, '../../..');
const node = join(repo, 'node_modules/.bin/node');
// `--import tsx` keeps the server in this pid (the tsx CLI would run it in a child process).
const tsx = ['--import', 'tsx'];

const seconds = Number(option('seconds') ?? 12);
const latencyMs = Number(option('latency-ms') ?? 0);
const portkeyFolder = option('portkey') ?? '/tmp/portkey';
const longRequests = Number(option('long') ?? 0);
const only = option('only')?.split(',');
const cpuProfileDir = option('cpu-prof');
/** Another checkout to run llmops from too (to measure a before and an after in one run). */
const baselineRoot = option('baseline');
const rounds = Number(option('rounds') ?? 3);
const pin = process.argv.includes('--pin');
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
  options: { env?: NodeJS.ProcessEnv; quiet?: boolean; cwd?: string; cpu?: number } = {},
): Promise<{ child: ChildProcess; url: string }> {
  // taskset execs the command, so the child's pid is the server's own (its CPU time is read from /proc).
  const pinned = pin && options.cpu !== undefined;
  const child = spawn(pinned ? 'taskset' : command, pinned ? ['-c', String(options.cpu), command, ...args] : args, {
    cwd: options.cwd ?? repo,
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
  return {
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
    cpuSeconds: cpuSeconds(target.pid) - before,
  };
}

const sequentialAgent = new Agent({ keepAlive: true, maxSockets: 1 });

/** RSS of each llmops process once it listens, before its first request (MiB, by pid). */
const startRss = new Map<number, number>();

/** One request at a time on one keep-alive connection, each timed alone (autocannon's histogram is in whole ms). */
async function sequential(target: Target, durationSeconds: number) {
  const payload = body(target);
  const url = new URL(`${target.url}/v1/chat/completions`);
  const latencies: number[] = [];
  let failures = 0;
  const cpuBefore = cpuSeconds(target.pid);
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
  return { latencies, failures, cpuSeconds: cpuSeconds(target.pid) - cpuBefore };
}

/** Starts llmops (`llmops-proxy.ts` of a checkout) and answers its targets. */
async function startLlmops(options: {
  root: string;
  prefix: string;
  upstream: string;
  children: ChildProcess[];
}): Promise<Target[]> {
  const { root, prefix, upstream, children } = options;
  const llmops = await start(
    node,
    [
      ...(cpuProfileDir && prefix === '' ? [`--cpu-prof`, `--cpu-prof-dir=${cpuProfileDir}`] : []),
      ...tsx,
      '--conditions=@llmops/source',
      join(root, 'tools/bench/gateway/llmops-proxy.ts'),
      '--upstream',
      upstream,
    ],
    { cwd: root, cpu: 1 },
  );
  children.push(llmops.child);
  const pid = llmops.child.pid as number;
  startRss.set(pid, rssMiB(pid));
  return [
    { name: `${prefix}llmops-plain`, url: llmops.url, headers: {}, model: 'stub-plain@champion', pid, stream: false },
    {
      name: `${prefix}llmops-guarded`,
      url: llmops.url,
      headers: {},
      model: 'stub-guarded@champion',
      pid,
      stream: false,
    },
    { name: `${prefix}llmops-stream`, url: llmops.url, headers: {}, model: 'stub-plain@champion', pid, stream: true },
  ];
}

interface Totals {
  requests: number;
  cpuSeconds: number;
  loadSeconds: number;
  failures: number;
  latencies: number[];
  /** The server's CPU over the 1-connection runs: the request path's own cost, nothing shared with other requests. */
  singleCpuSeconds: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  const stop = () => children.forEach((child) => child.kill('SIGTERM'));
  process.on('exit', stop);
  try {
    if (pin) spawn('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' });
    const stub = await start(
      node,
      [...tsx, join(import.meta.dirname, 'upstream-stub.ts'), '--latency-ms', String(latencyMs)],
      { cpu: 0 },
    );
    children.push(stub.child);
    // The floor: a minimal keep-alive Node.js proxy (`floor-proxy.ts`), on the gateways' core when pinned.
    const floor = await start(node, [...tsx, join(import.meta.dirname, 'floor-proxy.ts'), '--upstream', stub.url], {
      cpu: 1,
    });
    children.push(floor.child);
    const floorPid = floor.child.pid as number;
    const targets: Target[] = [
      { name: 'stub direct', url: stub.url, headers: {}, model: 'stub', pid: stub.child.pid as number, stream: false },
      { name: 'floor', url: floor.url, headers: {}, model: 'stub', pid: floorPid, stream: false },
      { name: 'floor-stream', url: floor.url, headers: {}, model: 'stub', pid: floorPid, stream: true },
      ...(baselineRoot
        ? await startLlmops({ root: baselineRoot, prefix: 'baseline ', upstream: stub.url, children })
        : []),
      ...(await startLlmops({ root: repo, prefix: '', upstream: stub.url, children })),
    ];
    const portkeyServer = join(portkeyFolder, 'node_modules/@portkey-ai/gateway/build/start-server.js');
    if (existsSync(portkeyServer)) {
      const port = 18_787;
      const portkey = await start(node, [portkeyServer, '--headless', `--port=${port}`], {
        env: { NODE_ENV: 'production' },
        quiet: true,
        cpu: 1,
      });
      children.push(portkey.child);
      const headers = {
        'x-portkey-provider': 'openai',
        'x-portkey-custom-host': `${stub.url}/v1`,
        authorization: 'Bearer sk-bench',
      };
      const pid = portkey.child.pid as number;
      const url = `http://127.0.0.1:${port}`;
      targets.push({ name: 'portkey', url, headers, model: 'stub', pid, stream: false });
      targets.push({ name: 'portkey-stream', url, headers, model: 'stub', pid, stream: true });
    } else process.stdout.write(`Portkey skipped: ${portkeyServer} is absent\n`);

    const selected = targets.filter(
      (target) => !only || target.name === 'stub direct' || only.includes(target.name.replace(/^baseline /, '')),
    );
    const totals = new Map<string, Totals>(
      selected.map((target) => [
        target.name,
        { requests: 0, cpuSeconds: 0, loadSeconds: 0, failures: 0, latencies: [], singleCpuSeconds: 0 },
      ]),
    );
    for (const target of selected) await load(target, 10, { amount: 2_000 }); // warm-up: JIT, connection pools
    const busySeconds = seconds / rounds;
    const singleSeconds = Math.max(1, seconds / 2 / rounds);
    for (let round = 1; round <= rounds; round += 1) {
      for (const target of selected) {
        process.stderr.write(`round ${round}/${rounds}: ${target.name}…\n`);
        const total = totals.get(target.name) as Totals;
        const busy = await load(target, 50, { duration: busySeconds });
        const single = await sequential(target, singleSeconds);
        total.requests += busy.requests;
        total.cpuSeconds += busy.cpuSeconds;
        total.loadSeconds += busySeconds;
        total.failures += busy.failures + single.failures;
        total.latencies.push(...single.latencies);
        total.singleCpuSeconds += single.cpuSeconds;
      }
    }

    const rows: string[][] = [
      ['target', 'CPU ms/req', 'CPU ms/req @1', 'req/s @50', 'p50 ms @1', 'p99 ms @1', 'added p50/p99 ms', 'failures'],
    ];
    const stubLatencies = [...(totals.get('stub direct')?.latencies ?? [])].sort((left, right) => left - right);
    const throughputOf = (name: string) => {
      const total = totals.get(name);
      return total ? total.requests / total.loadSeconds : 0;
    };
    for (const target of selected) {
      const total = totals.get(target.name) as Totals;
      const sorted = [...total.latencies].sort((left, right) => left - right);
      const [p50, p99] = [percentile(sorted, 0.5), percentile(sorted, 0.99)];
      rows.push([
        target.name,
        ((total.cpuSeconds * 1000) / Math.max(1, total.requests)).toFixed(3),
        ((total.singleCpuSeconds * 1000) / Math.max(1, total.latencies.length)).toFixed(3),
        throughputOf(target.name).toFixed(0),
        p50.toFixed(3),
        p99.toFixed(3),
        target.name === 'stub direct'
          ? '-'
          : `${(p50 - percentile(stubLatencies, 0.5)).toFixed(2)} / ${(p99 - percentile(stubLatencies, 0.99)).toFixed(2)}`,
        String(total.failures),
      ]);
    }
    if (longRequests > 0) {
      // RSS after each quarter of the long run: growth that levels off is warm-up, growth that goes on is a leak.
      const target = selected.find((candidate) => candidate.name === 'llmops-plain') as Target;
      const readings = [rssMiB(target.pid)];
      let failures = 0;
      for (let quarter = 0; quarter < 4; quarter += 1) {
        failures += (await load(target, 50, { amount: Math.ceil(longRequests / 4) })).failures;
        readings.push(rssMiB(target.pid));
      }
      const first = readings[0] as number;
      const last = readings[readings.length - 1] as number;
      rows.push([
        `${target.name} RSS over ${longRequests} req`,
        readings.map((reading) => reading.toFixed(0)).join(' -> ') + ' MiB',
        `${(((last - first) / first) * 100).toFixed(1)} %`,
        '',
        '',
        '',
        '',
        String(failures),
      ]);
      // The same from the process's start: before its first request (warm-up, the rounds above and the long run).
      const started = startRss.get(target.pid);
      if (started !== undefined)
        rows.push([
          `${target.name} RSS from start`,
          `${started.toFixed(0)} (listening) -> ${last.toFixed(0)} MiB`,
          `${(((last - started) / started) * 100).toFixed(1)} %`,
          '',
          '',
          '',
          '',
          '',
        ]);
    }
    const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
    process.stdout.write(
      `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.versions.node}; stub latency ${latencyMs} ms; ` +
        `${rounds} rounds of ${busySeconds.toFixed(1)} s at 50 connections and ${singleSeconds.toFixed(1)} s at 1 connection per target` +
        `${pin ? '; gateways pinned to CPU 1, stub and load generator to CPU 0' : ''}` +
        `${baselineRoot ? `; baseline: ${baselineRoot}` : ''}\n`,
    );
    for (const row of rows)
      process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}\n`);
    for (const name of ['floor', 'llmops-plain', 'baseline llmops-plain']) {
      if (totals.has(name) && throughputOf('portkey') > 0)
        process.stdout.write(
          `${name} throughput / Portkey's: ${(throughputOf(name) / throughputOf('portkey')).toFixed(2)}\n`,
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
