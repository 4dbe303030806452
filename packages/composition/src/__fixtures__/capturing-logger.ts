import type { FastifyBaseLogger } from 'fastify';

/** A logger that keeps each line as `<level> <message>` (Fastify's logger interface, without pino). */
export function capturingLogger(lines: string[]): FastifyBaseLogger {
  const at =
    (level: string) =>
    (first: unknown, second?: unknown): void => {
      lines.push(`${level} ${typeof first === 'string' ? first : String(second ?? '')}`);
    };
  const logger: Record<string, unknown> = {
    level: 'info',
    fatal: at('fatal'),
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: () => undefined,
    trace: () => undefined,
    silent: () => undefined,
  };
  logger['child'] = () => logger;
  return logger as unknown as FastifyBaseLogger;
}
