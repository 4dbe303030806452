import { watchedStream } from './watched-stream.js';
import type { StreamEnd, StreamWatch } from './watched-stream.js';

/** The async generator `watchedStream` stands for, to check that both behave alike. */
async function* generatorWatch<Chunk>(inner: AsyncIterable<Chunk>, watch: StreamWatch<Chunk>): AsyncGenerator<Chunk> {
  let completed = false;
  let failure: unknown;
  try {
    for await (const chunk of inner) {
      watch.onChunk?.(chunk);
      yield chunk;
    }
    completed = true;
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    watch.onEnd({ completed, ...(failure === undefined ? {} : { error: failure }) });
  }
}

/** A source of chunks that logs when it is opened and closed, and fails after `failAfter` chunks if asked. */
function source(log: string[], options: { failAfter?: number } = {}): AsyncIterable<number> {
  return {
    [Symbol.asyncIterator]: () => {
      log.push('opened');
      return (async function* () {
        try {
          for (let chunk = 1; chunk <= 3; chunk += 1) {
            if (options.failAfter !== undefined && chunk > options.failAfter) throw new Error('upstream cut');
            yield chunk;
          }
        } finally {
          log.push('closed');
        }
      })();
    },
  };
}

type Watcher = typeof watchedStream<number>;

/** Runs a scenario with a watcher and tells what the consumer and the watch saw, in order. */
async function scenario(
  watcher: Watcher,
  run: (stream: AsyncIterableIterator<number>, log: string[]) => Promise<void>,
  options: { failAfter?: number; chunkFails?: number } = {},
): Promise<string[]> {
  const log: string[] = [];
  const stream = watcher(source(log, options), {
    onChunk: (chunk) => {
      log.push(`chunk ${chunk}`);
      if (chunk === options.chunkFails) throw new Error('watch failed');
    },
    onEnd: (end: StreamEnd) => log.push(`end ${end.completed} ${(end.error as Error | undefined)?.message ?? ''}`),
  });
  try {
    await run(stream, log);
  } catch (error) {
    log.push(`threw ${(error as Error).message}`);
  }
  return log;
}

const scenarios: Record<string, [Parameters<typeof scenario>[1], Parameters<typeof scenario>[2]?]> = {
  'read to its end': [
    async (stream, log) => {
      for await (const chunk of stream) log.push(`got ${chunk}`);
      log.push(`after end: ${JSON.stringify(await stream.next())}`);
    },
  ],
  'failing upstream': [
    async (stream, log) => {
      for await (const chunk of stream) log.push(`got ${chunk}`);
    },
    { failAfter: 1 },
  ],
  'stopped by the consumer': [
    async (stream, log) => {
      for await (const chunk of stream) {
        log.push(`got ${chunk}`);
        if (chunk === 2) break;
      }
      log.push(`after stop: ${JSON.stringify(await stream.next())}`);
    },
  ],
  'stopped before its first chunk': [
    async (stream, log) => {
      log.push(`returned ${JSON.stringify(await stream.return?.('early'))}`);
      log.push(`then ${JSON.stringify(await stream.next())}`);
    },
  ],
  'failing watch': [
    async (stream, log) => {
      for await (const chunk of stream) log.push(`got ${chunk}`);
    },
    { chunkFails: 2 },
  ],
};

describe('watchedStream', () => {
  it.each(Object.keys(scenarios))('behaves as the async generator it replaces: %s', async (name) => {
    const [run, options] = scenarios[name] as (typeof scenarios)[string];
    const expected = await scenario(generatorWatch as Watcher, run, options);
    expect(await scenario(watchedStream, run, options)).toEqual(expected);
  });

  it('passes every chunk and ends once, completed, when the stream is read to its end', async () => {
    expect(await scenario(watchedStream, scenarios['read to its end']?.[0] as Parameters<typeof scenario>[1])).toEqual([
      'opened',
      'chunk 1',
      'got 1',
      'chunk 2',
      'got 2',
      'chunk 3',
      'got 3',
      'closed',
      'end true ',
      'after end: {"done":true}',
    ]);
  });
});
