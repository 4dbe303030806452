import { parseModelVersionSpec } from './model-spec-schema.js';

const agentSpec = (pipeline: Record<string, unknown>) => ({
  name: 'support-agent',
  provider: 'offline/extractive',
  pipeline: { kind: 'agent', prompt: 'support-agent-system', agents: [{ name: 'helper' }], ...pipeline },
});

const bad = (pipeline: Record<string, unknown>) => () =>
  parseModelVersionSpec(agentSpec(pipeline), 'confs/models/agent.yaml');

describe('agent pipeline spec', () => {
  it('reads tools, agents, a team and termination conditions with their defaults', () => {
    const spec = parseModelVersionSpec(
      agentSpec({
        tools: [
          { name: 'search_kb', kind: 'retrieval', corpus: 'confs/data/kb/' },
          { name: 'calc', kind: 'calculator' },
          { name: 'models', kind: 'registry_lookup' },
          {
            name: 'weather',
            kind: 'http',
            url: 'https://api.example.com/weather?city={city}',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            auth: { env: 'WEATHER_KEY' },
          },
        ],
        agents: [
          { name: 'researcher', tools: ['search_kb', 'calc'], handoffs: ['writer'] },
          { name: 'writer', system: 'Write the answer.', handoffs: ['user'], provider: 'openai/gpt-4o-mini' },
        ],
        team: { kind: 'selector' },
        termination: { maxMessages: 6, textMention: 'TERMINATE', handoff: 'user' },
      }),
    );
    if (spec.pipeline.kind !== 'agent') throw new Error('expected an agent pipeline');
    expect(spec.pipeline.team).toEqual({ kind: 'selector', maxTurns: 10, by: 'model', allowRepeatedSpeaker: false });
    expect(spec.pipeline.termination).toEqual({
      maxMessages: 6,
      textMention: 'TERMINATE',
      handoff: 'user',
      combine: 'any',
    });
    expect(spec.pipeline.tools[0]).toEqual({
      name: 'search_kb',
      kind: 'retrieval',
      corpus: 'confs/data/kb/',
      k: 4,
      tokenBudget: 1000,
    });
    expect(spec.pipeline.tools[3]).toMatchObject({
      method: 'GET',
      headers: {},
      auth: { env: 'WEATHER_KEY', header: 'authorization', scheme: 'Bearer' },
      timeoutMs: 10_000,
    });
    expect(spec.pipeline.agents[1]?.provider).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
  });

  it('refuses an HTTP tool whose host is not fixed, or that puts a credential in the spec', () => {
    expect(bad({ tools: [{ name: 'h', kind: 'http', url: 'https://{host}/x' }] })).toThrow(
      'confs/models/agent.yaml: pipeline.tools[0].url: expected an http(s) URL whose scheme and host are written out',
    );
    expect(bad({ tools: [{ name: 'h', kind: 'http', url: 'ftp://example.com/x' }] })).toThrow('pipeline.tools[0].url');
    expect(bad({ tools: [{ name: 'h', kind: 'http', url: 'https://u:p@example.com/x' }] })).toThrow(
      'expected no credentials in the URL',
    );
    expect(
      bad({
        tools: [{ name: 'h', kind: 'http', url: 'https://example.com/x', headers: { Authorization: 'Bearer s' } }],
      }),
    ).toThrow('pipeline.tools[0].headers.Authorization: header Authorization carries a credential');
    expect(bad({ tools: [{ name: 'h', kind: 'http', url: 'https://example.com/{city}' }] })).toThrow(
      'placeholder {city} is not a property of parameters',
    );
  });

  it('names unknown tools, bad handoffs, duplicates and a missing team', () => {
    expect(bad({ agents: [{ name: 'a', tools: ['nope'] }] })).toThrow(
      'pipeline.agents[0].tools[0]: tool nope is not declared in pipeline.tools',
    );
    expect(bad({ agents: [{ name: 'a', handoffs: ['user'] }] })).toThrow(
      'pipeline.agents[0].handoffs[0]: handoff target user is neither another agent nor termination.handoff',
    );
    expect(bad({ agents: [{ name: 'a' }, { name: 'a' }], team: { kind: 'round_robin' } })).toThrow(
      'pipeline.agents[1].name: agent a is declared twice',
    );
    expect(bad({ agents: [{ name: 'a' }, { name: 'b' }] })).toThrow(
      'pipeline.team: expected a team (round_robin or selector) for more than one agent',
    );
    expect(bad({ tools: [{ name: 't', kind: 'shell' }] })).toThrow(
      'pipeline.tools[0].kind: expected a tool kind: http, retrieval, registry_lookup or calculator',
    );
    expect(bad({ team: { kind: 'swarm' } })).toThrow(
      'pipeline.team.kind: expected a team kind: round_robin or selector',
    );
    expect(bad({ agents: [] })).toThrow('pipeline.agents: expected at least one agent');
    expect(bad({ termination: { maxMessages: 1 } })).toThrow('pipeline.termination.maxMessages');
  });
});
