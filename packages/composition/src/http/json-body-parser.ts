import type { FastifyInstance } from 'fastify';
import { forbiddenKeyPath, LlmopsError } from '@llmops/kernel';

/**
 * Parses JSON request bodies in place of Fastify's parser, so that each refusal says what it is: an empty body, text
 * that is not JSON (with the parser's reason), or a `__proto__` key (or `constructor.prototype`) that is refused since
 * it could change the prototypes of the server's objects, named by its path (`body.__proto__`). All are LlmopsError
 * `invalid_input` (400), so they answer in OpenAI's error shape.
 */
export function registerJsonBodyParser(server: FastifyInstance): void {
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.length === 0) {
      done(new LlmopsError('invalid_input', 'request body is empty; expected a JSON object'), undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? `: ${error.message}` : '';
      done(
        new LlmopsError('invalid_input', `request body is not valid JSON${reason}; expected a JSON object`),
        undefined,
      );
      return;
    }
    // As secure-json-parse does: only a body whose text names one of the keys is walked.
    const forbidden = /__proto__|constructor/.test(text) ? forbiddenKeyPath(parsed, 'body') : undefined;
    if (forbidden !== undefined) {
      const key = forbidden.endsWith('__proto__') ? '__proto__' : 'constructor';
      done(
        new LlmopsError(
          'invalid_input',
          `request body has a "${key}" key at ${forbidden}, which is refused (it could change object prototypes); remove or rename it`,
          { details: { param: forbidden } },
        ),
        undefined,
      );
      return;
    }
    done(null, parsed);
  });
}
