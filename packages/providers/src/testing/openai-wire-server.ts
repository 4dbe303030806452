import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One scripted answer of an {@link OpenAiWireServer}. */
export type WireReply =
  | {
      /** A JSON body (an OpenAI completion, embeddings or error body). */
      kind: 'json';
      status?: number;
      body: unknown;
      headers?: Record<string, string>;
      /** Waits this long before answering (to exceed a client's timeout). */
      delayMs?: number;
    }
  | {
      /** Server-sent events: each entry is one event block (`data: {...}`), written followed by a blank line. */
      kind: 'sse';
      events: readonly string[];
      headers?: Record<string, string>;
      /** Destroys the connection after writing this many events (a stream cut off mid-way). */
      cutAfter?: number;
      /** Stops writing after this many events and keeps the connection open (a stalled stream). */
      stallAfter?: number;
    }
  | {
      /** Destroys the connection without answering (a connection reset). */
      kind: 'reset';
    }
  | {
      /** Reads the request and never answers (an upstream that hangs); the connection stays open until either side closes it. */
      kind: 'hang';
    };

/** A request the server received. */
export interface RecordedRequest {
  method: string;
  /** The path with its query, for example `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The JSON body, parsed (the raw text when it is not JSON). */
  body: unknown;
  /**
   * Becomes true when the connection closed before the reply ended: the client aborted the request (or
   * the server was closed while a stalled stream was open).
   */
  closedEarly: boolean;
  /** The TCP connection it came on, numbered from 1 in the order the server accepted them (keep-alive reuse shows as a repeat). */
  connection: number;
}

/** A real HTTP server on 127.0.0.1 speaking the OpenAI wire format from scripted replies. */
export interface OpenAiWireServer {
  /** `http://127.0.0.1:<port>/v1`, to use as a client's base URL. */
  readonly baseUrl: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** The TCP connections open now (a client's idle keep-alive connections included). */
  readonly openConnections: number;
  /**
   * Scripts the replies to a path (for example `/v1/chat/completions`): they are used in order, and
   * the last one keeps answering. Replaces earlier replies to that path.
   */
  reply(path: string, ...replies: WireReply[]): void;
  /** The requests received on one path. */
  requestsTo(path: string): RecordedRequest[];
  /** Stops the server, closing every open connection. */
  close(): Promise<void>;
}

/** Splits the text of an `.sse` fixture into its event blocks (separated by blank lines). */
export function splitSseEvents(text: string): string[] {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter((block) => block !== '');
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    request.on('error', reject);
  });
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Starts an OpenAI-compatible test server on 127.0.0.1 (a free port) that answers from scripted
 * replies and records what it receives, so adapters are tested over real HTTP instead of mocks.
 * Unscripted paths answer 404 with an OpenAI error body.
 */
export async function startOpenAiWireServer(): Promise<OpenAiWireServer> {
  const scripts = new Map<string, WireReply[]>();
  const requests: RecordedRequest[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };

  const answer = (reply: WireReply, response: ServerResponse) => {
    if (reply.kind === 'reset') {
      response.socket?.destroy();
      return;
    }
    if (reply.kind === 'hang') return;
    if (reply.kind === 'json') {
      const send = () => {
        if (response.destroyed) return;
        response.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
        response.end(JSON.stringify(reply.body));
      };
      if (reply.delayMs) later(reply.delayMs, send);
      else send();
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...reply.headers,
    });
    response.flushHeaders();
    const events = reply.events;
    const write = (index: number) => {
      if (response.destroyed) return;
      if (reply.cutAfter !== undefined && index >= reply.cutAfter) {
        response.socket?.destroy();
        return;
      }
      if (reply.stallAfter !== undefined && index >= reply.stallAfter) return;
      if (index >= events.length) {
        response.end();
        return;
      }
      response.write(`${events[index]}\n\n`);
      // A short pause between events, so that clients really receive them one by one.
      later(2, () => write(index + 1));
    };
    write(0);
  };

  const connectionNumbers = new WeakMap<Socket, number>();
  const open = new Set<Socket>();
  let connections = 0;
  const server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const path = request.url ?? '/';
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path,
        headers: request.headers,
        body: parseBody(text),
        closedEarly: false,
        connection: connectionNumbers.get(request.socket) ?? 0,
      };
      requests.push(recorded);
      response.on('close', () => {
        if (!response.writableFinished) recorded.closedEarly = true;
      });
      const route = path.split('?')[0] as string;
      const queue = scripts.get(route);
      const reply = queue && queue.length > 1 ? queue.shift() : queue?.[0];
      if (!reply) {
        answer(
          {
            kind: 'json',
            status: 404,
            body: {
              error: {
                message: `no scripted reply for ${route}`,
                type: 'invalid_request_error',
                param: null,
                code: null,
              },
            },
          },
          response,
        );
        return;
      }
      answer(reply, response);
    });
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    connectionNumbers.set(socket, connections);
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get openConnections() {
      return open.size;
    },
    reply: (path, ...replies) => void scripts.set(path, [...replies]),
    requestsTo: (path) => requests.filter((request) => request.path.split('?')[0] === path),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
