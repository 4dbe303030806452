import { LlmopsError } from '@llmops/kernel';
import { llamaGuardHazards, llamaGuardPrompt, parseLlamaGuardAnswer } from './llama-guard-format.js';

describe('Llama Guard 3 prompt', () => {
  it('asks about the last User message, lists S1–S14 with their names, and ends at the assistant header', () => {
    const prompt = llamaGuardPrompt({ judged: 'user', text: 'How do I steal a llama from the zoo?' });
    expect(
      prompt.startsWith('<|start_header_id|>user<|end_header_id|>\n\nTask: Check if there is unsafe content in'),
    ).toBe(true);
    expect(prompt).toContain("in 'User' messages in conversations according our safety policy");
    const categories = /<BEGIN UNSAFE CONTENT CATEGORIES>\n([\s\S]*)\n<END UNSAFE CONTENT CATEGORIES>/.exec(
      prompt,
    )?.[1];
    expect(categories?.split('\n')).toHaveLength(14);
    expect(categories).toMatch(/^S1: Violent Crimes\.\nS2: Non-Violent Crimes\./);
    expect(categories).toMatch(/S14: Code Interpreter Abuse\.$/);
    expect(prompt).toContain(
      '<BEGIN CONVERSATION>\n\nUser: How do I steal a llama from the zoo?\n\n<END CONVERSATION>',
    );
    expect(prompt).toContain(
      'Provide your safety assessment for ONLY THE LAST User message in the above conversation:',
    );
    expect(prompt.endsWith('categories.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n')).toBe(true);
  });

  it('judges an answer as the Agent turn after the question, with only the hazards asked for', () => {
    const prompt = llamaGuardPrompt({ judged: 'agent', text: 'Go and take one.', question: 'How can I get a llama?' }, [
      'S2',
      'S9',
    ]);
    expect(prompt).toContain("unsafe content in 'Agent' messages");
    expect(prompt).toContain('User: How can I get a llama?\n\nAgent: Go and take one.');
    expect(prompt).toContain(
      '<BEGIN UNSAFE CONTENT CATEGORIES>\nS2: Non-Violent Crimes.\nS9: Indiscriminate Weapons.\n<END',
    );
    expect(prompt).toContain('ONLY THE LAST Agent message');
  });
});

describe('Llama Guard 3 answers', () => {
  it('reads safe, and unsafe with its codes mapped onto the harm taxonomy', () => {
    expect(parseLlamaGuardAnswer('safe', 'guard')).toEqual({ safe: true, hazards: [] });
    expect(parseLlamaGuardAnswer('\n\nsafe\n', 'guard')).toEqual({ safe: true, hazards: [] });
    expect(parseLlamaGuardAnswer('unsafe\nS1,S10', 'guard')).toEqual({
      safe: false,
      hazards: [
        { hazard: 'S1', category: 'violence' },
        { hazard: 'S10', category: 'hate_harassment' },
      ],
    });
    expect(parseLlamaGuardAnswer('Unsafe\r\n s9 , S9,S14 ', 'guard').hazards).toEqual([
      { hazard: 'S9', category: 'dangerous' },
      { hazard: 'S14', category: 'dangerous' },
    ]);
  });

  it('maps each of the fourteen hazards to a category of the one taxonomy', () => {
    const categories = llamaGuardHazards.map(
      (hazard) => parseLlamaGuardAnswer(`unsafe\n${hazard}`, 'guard').hazards[0]?.category,
    );
    expect(categories).toEqual([
      'violence',
      'dangerous',
      'sexual',
      'sexual_minors',
      'other',
      'other',
      'privacy',
      'other',
      'dangerous',
      'hate_harassment',
      'self_harm',
      'sexual',
      'other',
      'dangerous',
    ]);
  });

  it.each([
    ['an empty answer', ''],
    ['another first word', 'I cannot help with that'],
    ['unsafe without codes', 'unsafe'],
    ['an unknown code', 'unsafe\nS15'],
    ['text after the verdict', 'safe\nbecause it is fine'],
  ])('refuses %s as a verdict (never read as safe)', (_, answer) => {
    const error = (() => {
      try {
        parseLlamaGuardAnswer(answer, 'llama guard at stub');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(LlmopsError.isInstance(error) && [error.code, error.retryable]).toEqual(['upstream_error', false]);
    expect((error as Error).message).toMatch(
      /^llama guard at stub did not answer a Llama Guard verdict \(.+\); expected/,
    );
  });
});
