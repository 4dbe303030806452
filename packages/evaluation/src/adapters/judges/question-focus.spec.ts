import { analyzeText } from '@llmops/providers';
import { questionFocus } from './question-focus.js';

describe('questionFocus', () => {
  it('is the content word right after "which" or "what", stemmed as the judge stems terms', () => {
    expect(questionFocus('Which Linux version does the kettle app require?')).toBe(analyzeText('Linux')[0]);
    expect(questionFocus('What roles can a member of a workspace have?')).toBe(analyzeText('roles')[0]);
  });

  it('is undefined after a function word, for a word that names the kind of answer, and without "which" or "what"', () => {
    expect(questionFocus('What does the Team plan cost?')).toBeUndefined();
    expect(questionFocus('Which exit code means the kettle is empty?')).toBeUndefined();
    expect(questionFocus('What percentage discount do students get?')).toBeUndefined();
    expect(questionFocus('Which command empties the kettle?')).toBeUndefined();
    expect(questionFocus('How long does the kettle steep tea?')).toBeUndefined();
  });
});
