import { lastMentioned, nextInOrder, speakerCandidates } from './speaker-order.js';

const speakers = [
  { name: 'researcher', description: 'finds facts' },
  { name: 'writer', description: 'writes' },
  { name: 'critic', description: 'reviews' },
];

describe('speaker order', () => {
  it('goes round in the declared order, starting with the first agent', () => {
    const order: string[] = [];
    let previous: string | undefined;
    for (let turn = 0; turn < 5; turn += 1) {
      previous = nextInOrder(speakers, previous).name;
      order.push(previous);
    }
    expect(order).toEqual(['researcher', 'writer', 'critic', 'researcher', 'writer']);
  });

  it('reads the candidate named last, as a whole word', () => {
    expect(lastMentioned('researcher found it; over to the Writer.', speakers)?.name).toBe('writer');
    expect(lastMentioned('the writers are busy', speakers)).toBeUndefined();
    expect(speakerCandidates(speakers, 'writer', false).map((speaker) => speaker.name)).toEqual([
      'researcher',
      'critic',
    ]);
    expect(speakerCandidates(speakers, 'writer', true)).toHaveLength(3);
    expect(speakerCandidates([speakers[0]!], 'researcher', false)).toHaveLength(1);
  });
});
