/**
 * llmops as a plain proxy for the gateway benchmark, in its own process: the whole API in a scratch workspace
 * (`serveStubModels`: embedded SQLite store, monitoring events on, inference without a key on loopback) with two chat
 * models on the upstream stub, response cache off: `stub-plain` (guardrail policy `none`) and `stub-guarded` (policy
 * `default`).
 *
 *   npx tsx --conditions=@llmops/source tools/bench/gateway/llmops-proxy.ts --upstream http://127.0.0.1:PORT
 *
 * Prints `listening <url> <workspace>` once both models answer `@champion`.
 */
import { runMain, serveStubModels, upstreamArgument } from '../stub-models-server.js';

runMain(() =>
  serveStubModels(upstreamArgument(process.argv), [
    { name: 'stub-plain', guardrails: 'none', cache: { enabled: false } },
    { name: 'stub-guarded', guardrails: 'default', cache: { enabled: false } },
  ]),
);
