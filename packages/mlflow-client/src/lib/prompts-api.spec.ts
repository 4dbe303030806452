import { z } from 'zod';
import { readJsonFixture } from './__fixtures__/http-test-server.js';
import { promptSourcePlaceholders, promptTags, promptVersionFromModelVersion } from './prompts-api.js';
import { modelVersionSchema, withPromptFilter } from './registry-api.js';

const versionResponse = z.object({ model_version: modelVersionSchema });

describe('reading the Prompt Registry convention', () => {
  it('reads a chat prompt with model config as mlflow.genai.register_prompt wrote it', () => {
    const { model_version: modelVersion } = versionResponse.parse(readJsonFixture('python-chat-prompt-version.json'));
    const prompt = promptVersionFromModelVersion(modelVersion);
    expect(prompt).toMatchObject({
      name: 'py-chat',
      version: 1,
      type: 'chat',
      template: [
        { role: 'system', content: 'You are {{x}}' },
        { role: 'user', content: '{{q}}' },
      ],
      variables: ['q', 'x'],
      modelConfig: { model_name: 'gpt-4o', temperature: 0.2 },
      tags: {},
      responseFormat: undefined,
    });
    expect(modelVersion.source).toBe(promptSourcePlaceholders.client);
  });

  it("hides MLflow's internal tags and keeps the user's", () => {
    const prompt = promptVersionFromModelVersion(
      modelVersionSchema.parse({
        name: 'bot',
        version: '3',
        description: 'shorter',
        source: 'prompt-template',
        tags: [
          { key: promptTags.isPrompt, value: 'true' },
          { key: promptTags.type, value: 'text' },
          { key: promptTags.text, value: 'Answer {{ question }} using {{context.docs}}' },
          { key: 'author', value: 'ada' },
        ],
        aliases: ['champion'],
      }),
    );
    expect(prompt).toMatchObject({
      version: 3,
      type: 'text',
      commitMessage: 'shorter',
      tags: { author: 'ada' },
      aliases: ['champion'],
      variables: ['context.docs', 'question'],
    });
  });

  it('refuses a model version that is not a prompt version as not_found', () => {
    const modelVersion = modelVersionSchema.parse({ name: 'bot', version: '1', source: 'runs:/abc/model' });
    expect(() => promptVersionFromModelVersion(modelVersion)).toThrow(
      /"bot" version 1 is a model version, not a prompt version/,
    );
  });

  it('reports a malformed chat template as upstream_error', () => {
    const modelVersion = modelVersionSchema.parse({
      name: 'bot',
      version: '1',
      tags: [
        { key: promptTags.isPrompt, value: 'true' },
        { key: promptTags.type, value: 'chat' },
        { key: promptTags.text, value: '{"role": "user"}' },
      ],
    });
    expect(() => promptVersionFromModelVersion(modelVersion)).toThrow(
      /chat template is not a list of \{role, content\} messages/,
    );
  });
});

describe('keeping models and prompts apart in listings', () => {
  it("adds the prompt clause to a filter, as MLflow's Python client does", () => {
    expect(withPromptFilter(undefined, { prompts: false })).toBe("tags.`mlflow.prompt.is_prompt` != 'true'");
    expect(withPromptFilter("name LIKE 'bot%'", { prompts: true })).toBe(
      "name LIKE 'bot%' AND tags.`mlflow.prompt.is_prompt` = 'true'",
    );
  });

  it('leaves a filter that already speaks of the prompt tag alone', () => {
    expect(withPromptFilter("tags.`mlflow.prompt.is_prompt` = 'true'", { prompts: false })).toBe(
      "tags.`mlflow.prompt.is_prompt` = 'true'",
    );
  });
});
