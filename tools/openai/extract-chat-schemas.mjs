#!/usr/bin/env node
/**
 * Extracts the component schemas of OpenAI's OpenAPI document that the `/v1/chat/completions`
 * tests validate against (the completion and the stream chunk, with every schema they reference)
 * into one JSON Schema 2020-12 file, so the tests never read the document itself:
 *
 *   node tools/openai/extract-chat-schemas.mjs <openai-openapi.json> \
 *     > packages/composition/src/http/routes/__fixtures__/openai-chat-schemas.json
 *
 * `#/components/schemas/X` references become `#/$defs/X`; OpenAPI's `nullable: true` becomes a
 * `null` member of `type` (or an `anyOf` with `{type: 'null'}` when the schema has no type).
 */
import { readFileSync } from 'node:fs';

const roots = ['CreateChatCompletionResponse', 'CreateChatCompletionStreamResponse'];
const source = process.argv[2];
if (!source) {
  process.stderr.write('usage: extract-chat-schemas.mjs <openai-openapi.json>\n');
  process.exitCode = 2;
} else {
  const document = JSON.parse(readFileSync(source, 'utf8'));
  const schemas = document.components.schemas;
  const prefix = '#/components/schemas/';
  const wanted = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(prefix)) {
        const name = value.slice(prefix.length);
        if (!wanted.has(name)) {
          wanted.add(name);
          visit(schemas[name]);
        }
      } else visit(value);
    }
  };
  for (const root of roots) {
    wanted.add(root);
    visit(schemas[root]);
  }
  const convert = (node) => {
    if (Array.isArray(node)) return node.map(convert);
    if (node === null || typeof node !== 'object') return node;
    const result = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') result[key] = value.replace(prefix, '#/$defs/');
      else if (key !== 'nullable') result[key] = convert(value);
    }
    if (node.nullable !== true) return result;
    if (typeof result.type === 'string') {
      result.type = [result.type, 'null'];
      if (Array.isArray(result.enum) && !result.enum.includes(null)) result.enum = [...result.enum, null];
      return result;
    }
    return { anyOf: [result, { type: 'null' }] };
  };
  const defs = Object.fromEntries([...wanted].sort().map((name) => [name, convert(schemas[name])]));
  const output = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    description: `Extracted from OpenAI's OpenAPI document (version ${document.info.version}, MIT licence, openai/openai-openapi) by tools/openai/extract-chat-schemas.mjs: ${roots.join(', ')} and the schemas they reference.`,
    $defs: defs,
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}
