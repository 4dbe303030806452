import { safeParseWithSchema } from '@llmops/kernel';
import { commonServedChatRequest, parseServedChatRequest, servedChatRequestSchema } from './served-chat-request.js';

const user = { role: 'user', content: 'How long do refunds take?' };

/** Bodies of the common shape: the hand check must take each and give what zod gives, key order included. */
const common: unknown[] = [
  { model: 'stub-plain@champion', messages: [user] },
  { messages: [user], model: 'm' },
  { model: 'm', messages: [{ content: 'be brief', role: 'system' }, user, { role: 'assistant', content: 'ok' }] },
  {
    model: 'm',
    messages: [
      { role: 'developer', content: 'x', name: 'ops' },
      { role: 'user', content: '' },
    ],
  },
  { model: 'm/3', messages: [user], stream: true, stream_options: { include_usage: true } },
  { stream_options: null, stream: null, model: 'm', messages: [user] },
  { model: 'm', messages: [user], stream: false, stream_options: {} },
  { user: 'u-1', max_tokens: 64, temperature: 0.2, messages: [user], model: 'm' },
  { model: 'm', messages: [user], temperature: null, max_tokens: null },
  { model: 'm', messages: [user], temperature: 2, max_tokens: 1 },
];

/** Bodies the hand check leaves to zod: other fields, other shapes, and invalid ones. */
const other: unknown[] = [
  { model: 'm', messages: [user], n: 2 },
  { model: 'm', messages: [user], llmops: { variables: { a: 'b' } } },
  { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
  { model: 'm', messages: [{ role: 'tool', content: 'x', tool_call_id: 'c1' }] },
  { model: 'm', messages: [{ role: 'assistant', content: null, tool_calls: [] }] },
  { model: 'm', messages: [{ role: 'user', content: 'x', extra: 1 }] },
  { model: 'm', messages: [user], stream_options: { include_usage: true, other: 1 } },
  { model: 'm', messages: [user], unknown_field: 'kept' },
  JSON.parse('{"model":"m","messages":[{"role":"user","content":"x","__proto__":{"a":1}}]}'),
  JSON.parse('{"model":"m","messages":[{"role":"user","content":"x"}],"__proto__":{"a":1}}'),
  { model: '', messages: [user] },
  { model: 'm', messages: [] },
  { model: 'm' },
  { messages: [user] },
  { model: 7, messages: [user] },
  { model: 'm', messages: [{ role: 'robot', content: 'x' }] },
  { model: 'm', messages: [{ role: 'user', content: 3 }] },
  { model: 'm', messages: [{ role: 'user', content: 'x', name: 3 }] },
  { model: 'm', messages: [user], stream: 'yes' },
  { model: 'm', messages: [user], stream_options: { include_usage: 'yes' } },
  { model: 'm', messages: [user], temperature: 3 },
  { model: 'm', messages: [user], temperature: -0.1 },
  { model: 'm', messages: [user], max_tokens: 0 },
  { model: 'm', messages: [user], max_tokens: 1.5 },
  { model: 'm', messages: [user], user: 5 },
  [],
  null,
  'text',
];

const byZod = (body: unknown) =>
  safeParseWithSchema(servedChatRequestSchema, body, { where: 'invalid chat completion request' });

describe('the common chat request, checked by hand', () => {
  it.each(common.map((body) => [JSON.stringify(body), body]))('takes %s as zod parses it', (_, body) => {
    const parsed = byZod(body);
    expect(parsed.success).toBe(true);
    const checked = commonServedChatRequest(body);
    expect(checked).toStrictEqual(parsed.success ? parsed.data : 'never');
    // Same key order (what a serialised upstream body or a cache key would see).
    expect(JSON.stringify(checked)).toBe(JSON.stringify(parsed.success ? parsed.data : undefined));
    // New objects, as zod makes: the caller's body is not shared.
    expect(checked).not.toBe(body);
    expect((checked as { messages: unknown[] }).messages[0]).not.toBe((body as { messages: unknown[] }).messages[0]);
  });

  it.each(other.map((body) => [JSON.stringify(body) ?? String(body), body]))(
    'leaves %s to zod, with zod’s answer',
    (_, body) => {
      expect(commonServedChatRequest(body)).toBeUndefined();
      expect(parseServedChatRequest(body)).toStrictEqual(byZod(body));
    },
  );

  it('answers the common request with the same result as the schema', () => {
    for (const body of common) expect(parseServedChatRequest(body)).toStrictEqual(byZod(body));
  });
});
