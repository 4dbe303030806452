/**
 * The floor of the gateway benchmark: the least a Node.js proxy can do, so the bench shows how far llmops is from what
 * Node itself costs here. A `node:http` server whose every request is sent on to the upstream with `http.request` on a
 * keep-alive agent, the request and response bytes piped both ways, status and headers copied; nothing else (no
 * routing, no parsing, no auth, no logging, no monitoring).
 *
 *   npx tsx tools/bench/gateway/floor-proxy.ts --upstream http://127.0.0.1:PORT   # prints `listening <url>`
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const index = process.argv.indexOf('--upstream');
const upstream = index > 0 ? process.argv[index + 1] : undefined;
if (!upstream) throw new Error('--upstream <url of the stub> is required');
const target = new URL(upstream);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

const server = createServer({ keepAliveTimeout: 60_000 }, (incoming, outgoing) => {
  const forwarded = request(
    {
      agent,
      host: target.hostname,
      port: target.port,
      method: incoming.method,
      path: incoming.url,
      headers: { ...incoming.headers, host: target.host },
    },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  forwarded.on('error', () => {
    outgoing.statusCode = 502;
    outgoing.end();
  });
  incoming.pipe(forwarded);
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
