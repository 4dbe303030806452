/**
 * The llmops server of the soak (`soak.ts` starts it in its own process): the whole API in a scratch workspace
 * (`serveStubModels`: embedded SQLite store, monitoring events on, inference without a key on loopback) with two
 * chat models on the upstream stub: `soak-guarded` (policy `default`, cache off: plain, streamed and blocked requests)
 * and `soak-cached` (policy `default`, response cache on: the cached requests).
 *
 *   node_modules/.bin/node --import tsx --conditions=@llmops/source tools/soak/soak-server.ts --upstream <url>
 *
 * Prints `listening <url> <workspace>` once both models answer; SIGTERM closes it (drains requests, writes events).
 */
import { runMain, serveStubModels, upstreamArgument } from '../bench/stub-models-server.js';

runMain(() =>
  serveStubModels(upstreamArgument(process.argv), [
    { name: 'soak-guarded', guardrails: 'default', cache: { enabled: false } },
    { name: 'soak-cached', guardrails: 'default', cache: { ttlSeconds: 3_600 } },
  ]),
);
