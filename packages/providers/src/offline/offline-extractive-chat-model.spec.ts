import { ManualClock } from '@llmops/kernel';
import type { ChatCompletionChunk, ChatMessage, ChatModelRequest } from '@llmops/kernel';
import { collectChatCompletion } from '../chat/chat-completion-assembler.js';
import { countMessageTokens, countTokens } from '../tokens/token-counter.js';
import { formatContextPassages } from './context-passages.js';
import { defaultMinSupport, doNotKnowAnswer, OfflineExtractiveChatModel } from './offline-extractive-chat-model.js';
import type { TextSimilarity } from './offline-extractive-chat-model.js';

const passages = [
  {
    source: 'docs/refunds.md',
    text: 'Refunds are issued within 14 days of receiving the returned item. Store credit is available immediately after the return is scanned.',
  },
  {
    source: 'docs/shipping.md',
    text: 'Standard orders ship within two business days. Express shipping delivers the next business day in most regions.',
  },
  {
    source: 'docs/warranty.md',
    text: 'All electronics carry a one-year limited warranty. The warranty does not cover accidental damage or water damage.',
  },
  {
    source: 'docs/accounts.md',
    text: 'You can reset your password from the sign-in page. Accounts are locked for 30 minutes after five failed sign-in attempts.',
  },
  {
    source: 'docs/support.md',
    text: 'Support is available by chat from 8am to 8pm CET on weekdays. Phone support is reserved for business customers.',
  },
];

/** The layout the RAG pipeline uses: instructions and context in the system message, the question from the user. */
function ask(question: string): ChatModelRequest {
  return {
    messages: [
      {
        role: 'system',
        content: `Answer only from the context and cite passages as [n].\n\n${formatContextPassages(passages)}`,
      },
      { role: 'user', content: question },
    ],
  };
}

const model = new OfflineExtractiveChatModel({ clock: new ManualClock(1_750_000_000_000) });

describe('OfflineExtractiveChatModel', () => {
  it('answers with the best matching context sentence, cited by its passage number', async () => {
    const completion = await model.generate(ask('How long do refunds take?'));
    expect(completion.choices[0]?.message.content).toBe(
      'Refunds are issued within 14 days of receiving the returned item [1].',
    );
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.model).toBe('offline/extractive');
  });

  it.each([
    ['Does the warranty cover water damage?', 3, /water damage/],
    ['When can I reach support by chat?', 5, /8am to 8pm/],
    ['How fast is express shipping?', 2, /next business day/],
    ['What happens after failed sign-in attempts?', 4, /locked for 30 minutes/],
  ])('cites the passage that answers %j', async (question, passage, pattern) => {
    const answer = model.answer(ask(question).messages);
    expect(answer.grounded).toBe(true);
    expect(answer.citations[0]?.passage).toBe(passage);
    expect(answer.citations[0]?.source).toBe(passages[passage - 1]?.source);
    expect(answer.content).toMatch(pattern);
    expect(answer.content).toContain(`[${passage}]`);
  });

  it('answers the fixed do-not-know sentence when the context does not answer the question', async () => {
    for (const question of ['What is the capital of France?', 'What is the refund policy for spaceships?']) {
      const completion = await model.generate(ask(question));
      expect([question, completion.choices[0]?.message.content]).toEqual([question, doNotKnowAnswer]);
    }
  });

  it('does not know without context passages, or without a question', async () => {
    const noContext = await model.generate({ messages: [{ role: 'user', content: 'How long do refunds take?' }] });
    expect(noContext.choices[0]?.message.content).toBe(doNotKnowAnswer);
    expect(model.answer([{ role: 'user', content: formatContextPassages(passages) }]).content).toBe(doNotKnowAnswer);
  });

  it('reads context and question from one user message, with a Question: label', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You are a support assistant.' },
      {
        role: 'user',
        content: `${formatContextPassages(passages)}\n\nAnswer using the context.\nQuestion: Can I get store credit?`,
      },
    ];
    const answer = model.answer(messages);
    expect(answer.question).toBe('Can I get store credit?');
    expect(answer.content).toBe('Store credit is available immediately after the return is scanned [1].');
  });

  it('answers the last user question of a conversation', () => {
    const messages: ChatMessage[] = [
      ...ask('How long do refunds take?').messages,
      { role: 'assistant', content: 'Refunds are issued within 14 days of receiving the returned item [1].' },
      { role: 'user', content: 'And does the warranty cover water damage?' },
    ];
    expect(model.answer(messages).citations.map((citation) => citation.passage)).toEqual([3]);
  });

  it('is deterministic: the same request gives the same completion, id included', async () => {
    const first = await model.generate(ask('Does the warranty cover water damage?'));
    const second = await new OfflineExtractiveChatModel({ clock: new ManualClock(1_750_000_000_000) }).generate(
      ask('Does the warranty cover water damage?'),
    );
    expect(second).toEqual(first);
    expect(first.id).toMatch(/^chatcmpl-offline-[0-9a-f]{24}$/);
    expect((await model.generate(ask('How fast is express shipping?'))).id).not.toBe(first.id);
  });

  it('reports usage with real token counts', async () => {
    const request = ask('How long do refunds take?');
    const completion = await model.generate(request);
    const content = completion.choices[0]?.message.content ?? '';
    expect(completion.usage).toEqual({
      prompt_tokens: countMessageTokens(request.messages),
      completion_tokens: countTokens(content),
      total_tokens: countMessageTokens(request.messages) + countTokens(content),
      prompt_tokens_details: { cached_tokens: 0 },
    });
    expect(completion.usage?.completion_tokens).toBeGreaterThan(10);
  });

  it('honours stop sequences and max_tokens', async () => {
    const stopped = await model.generate({ ...ask('How long do refunds take?'), stop: [' of '] });
    expect(stopped.choices[0]).toMatchObject({
      message: { content: 'Refunds are issued within 14 days' },
      finish_reason: 'stop',
    });
    const cut = await model.generate({ ...ask('How long do refunds take?'), max_tokens: 3 });
    expect(cut.choices[0]?.finish_reason).toBe('length');
    expect(cut.usage?.completion_tokens).toBe(3);
  });

  it('streams the same answer word by word, then the finish reason, then usage', async () => {
    const request = ask('How long do refunds take?');
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of model.stream(request)) chunks.push(chunk);
    const generated = await model.generate(request);

    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.slice(1, -2).map((chunk) => chunk.choices[0]?.delta.content)).toEqual([
      'Refunds ',
      'are ',
      'issued ',
      'within ',
      '14 ',
      'days ',
      'of ',
      'receiving ',
      'the ',
      'returned ',
      'item ',
      '[1].',
    ]);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: generated.usage });
    expect(new Set(chunks.map((chunk) => chunk.id))).toEqual(new Set([generated.id]));

    const collected = await collectChatCompletion(model.stream(request));
    expect(collected.choices[0]?.message.content).toBe(generated.choices[0]?.message.content);
  });

  it('rejects what only an LLM can do: JSON output and forced tool calls', async () => {
    // Each names its parameter, which the API answers as OpenAI's error.param (it was null: 2026-12-01 walkthrough).
    await expect(model.generate({ ...ask('x'), response_format: { type: 'json_object' } })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('plain text only'),
      details: { param: 'response_format' },
    });
    await expect(model.generate({ ...ask('x'), tool_choice: 'required' })).rejects.toMatchObject({
      code: 'invalid_input',
      details: { param: 'tool_choice' },
    });
  });

  it('fails when the call is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(model.generate(ask('How long do refunds take?'), { signal: controller.signal })).rejects.toMatchObject(
      { name: 'LlmopsError' },
    );
  });

  it('validates its options', () => {
    expect(() => new OfflineExtractiveChatModel({ maxSentences: 0 })).toThrow(/maxSentences/);
    expect(() => new OfflineExtractiveChatModel({ minSupport: 2 })).toThrow(/minSupport/);
  });
});

/** A made-up manual page, as the RAG pipeline passes it: whitespace collapsed, one passage per line. */
const manualPage = [
  'TIDEPOOL-SWEEP(1) Tidepool Manual TIDEPOOL-SWEEP(1)',
  'NAME tidepool-sweep - remove stale buckets from a pond',
  'SYNOPSIS tidepool sweep [--max-age=DAYS] [--keep=N] [--dry-run] POND',
  'DESCRIPTION tidepool sweep deletes the buckets of POND that nobody opened for a while.',
  'OPTIONS',
  '--max-age=DAYS, -a DAYS Remove buckets older than DAYS days. The default is 90.',
  '--keep=N Leave the N newest buckets in place whatever their age. Zero keeps none.',
  '--dry-run, -n List what would be removed without removing anything.',
  'EXIT STATUS 0 Every stale bucket was removed. 5 The pond is locked by another sweep.',
].join(' ');

function askManual(question: string, passages = [{ source: 'man/tidepool-sweep.txt', text: manualPage }]) {
  return [
    { role: 'system' as const, content: `Answer from the context.\n\n${formatContextPassages(passages)}` },
    { role: 'user' as const, content: question },
  ];
}

describe('OfflineExtractiveChatModel on reference documentation', () => {
  it('answers with a whole option entry when the answer sits inside it', () => {
    const answer = model.answer(askManual('How old must a bucket be before tidepool sweep removes it by default?'));
    expect(answer.content).toBe('--max-age=DAYS, -a DAYS Remove buckets older than DAYS days. The default is 90 [1].');
  });

  it('never answers with the title, NAME or SYNOPSIS line, even when it matches the question best', () => {
    const answer = model.answer(askManual('What does tidepool sweep remove from a pond?'));
    expect(answer.grounded).toBe(true);
    expect(answer.content).not.toMatch(/TIDEPOOL-SWEEP\(1\)|^NAME|SYNOPSIS|tidepool-sweep - /);
    expect(answer.content).toBe('tidepool sweep deletes the buckets of POND that nobody opened for a while [1].');
  });

  it('reads an exit status table entry by entry', () => {
    const answer = model.answer(askManual('Which exit status means the pond is locked?'));
    expect(answer.content).toBe('5 The pond is locked by another sweep [1].');
  });

  it('quotes a long sentence whole, never a cut piece of it', () => {
    const long =
      'When a tide window opens while a sweep is still running, the sweep finishes the bucket it is working on, ' +
      'writes a marker into the pond journal so that the next sweep can pick up where this one stopped, ' +
      'and only then releases the pond lock, which can take several minutes on a slow disk.';
    const answer = model.answer(
      askManual('What happens to a running sweep when a tide window opens?', [
        { source: 'man/tidepool-tides.txt', text: `Tide windows are set per pond. ${long} Windows never overlap.` },
      ]),
    );
    expect(answer.citations.map((citation) => citation.sentence)).toEqual([long]);
  });

  it('declines when the best unit supports the question less than minSupport', () => {
    const question = 'Which compression algorithm does tidepool sweep use for archived buckets?';
    expect(model.answer(askManual(question)).content).toBe(doNotKnowAnswer);
    // The context shares only "tidepool", "sweep" and "buckets" with it: a few per cent of its weight.
    const lenient = new OfflineExtractiveChatModel({ minSupport: 0.05 });
    const answer = lenient.answer(askManual(question));
    expect(answer.grounded).toBe(true);
    expect(answer.citations[0]?.relevance).toBeLessThan(defaultMinSupport);
  });

  it('reads title and section labels and answers from the page the question names', () => {
    const context = [
      'Context:',
      '[1] (tidepool-fill(1) › OPTIONS) --keep=N Leave the N newest buckets unfilled.',
      '[2] (tidepool-sweep(1) › OPTIONS) --keep=N Leave the N newest buckets in place whatever their age.',
    ].join('\n');
    const answer = model.answer([
      { role: 'system', content: context },
      { role: 'user', content: 'What does --keep do in tidepool sweep?' },
    ]);
    expect(answer.content).toBe('--keep=N Leave the N newest buckets in place whatever their age [2].');
  });

  it('answers a how-long question with the unit that states an amount', () => {
    const answer = model.answer(
      askManual('How long does a sweep wait for a locked pond?', [
        {
          source: 'man/tidepool-lock.txt',
          text: 'A sweep waits for a locked pond while another sweep holds the lock. Each sweep waits for a locked pond at most 40 seconds.',
        },
      ]),
    );
    expect(answer.content).toBe('Each sweep waits for a locked pond at most 40 seconds [1].');
  });

  it('never answers with a line that only introduces an example', () => {
    const answer = model.answer(
      askManual('How do I sweep a pond without removing anything?', [
        {
          source: 'man/tidepool-sweep.txt',
          text: 'EXAMPLES Sweep a pond without removing anything: tidepool sweep --dry-run shore. The --dry-run option lists what a sweep would remove without removing anything.',
        },
      ]),
    );
    expect(answer.content).not.toMatch(/:\s*\[1\]/);
    expect(answer.content).toMatch(/--dry-run/);
  });

  it('answers a question naming an exit status with the entry of that number, not with prose about statuses', () => {
    const answer = model.answer(
      askManual('What does exit code 5 mean for tidepool sweep?', [
        {
          source: 'man/tidepool-sweep.txt',
          text: 'EXIT STATUS Every sweep ends with an exit status that scripts can read. 0 Every stale bucket was removed. 5 The pond is locked by another sweep.',
        },
      ]),
    );
    expect(answer.content).toBe('5 The pond is locked by another sweep [1].');
  });

  it('prefers a unit stating a status when the question asks which status, and ignores the cue when no unit states one', () => {
    const context = [
      { source: 'man/tidepool-sweep.txt', text: 'A locked pond stops the sweep and is reported on standard error.' },
      { source: 'man/tidepool-sweep.txt', text: 'EXIT STATUS 5 The pond is locked by another sweep.' },
    ];
    expect(model.answer(askManual('Which exit status does a sweep of a locked pond return?', context)).content).toBe(
      '5 The pond is locked by another sweep [2].',
    );
    const lenient = new OfflineExtractiveChatModel({ minSupport: 0.05 });
    const withStatus = lenient.answer(askManual('Which exit status does a sweep of a locked pond return?', context));
    const proseOnly = lenient.answer(
      askManual('Which exit status does a sweep of a locked pond return?', context.slice(0, 1)),
    );
    expect(proseOnly.content).toBe('A locked pond stops the sweep and is reported on standard error [1].');
    // Beside a unit stating a status, the same prose sentence ranks lower than it does alone.
    expect(withStatus.citations[0]?.sentence).toBe('5 The pond is locked by another sweep.');
  });

  it('never quotes a passage whose section path says it is a SYNOPSIS, nor a usage line anywhere', () => {
    const context = [
      'Context:',
      '[1] (tidepool-sweep(1) › SYNOPSIS) tidepool sweep [--max-age=DAYS] [--keep=N] [--dry-run] POND',
      '[2] (tidepool-sweep(1) › OPTIONS) tidepool sweep [--max-age=DAYS] [--keep=N] [--dry-run] POND',
      '[3] (tidepool-sweep(1) › OPTIONS) --keep=N Leave the N newest buckets in place whatever their age.',
    ].join('\n');
    const answer = model.answer([
      { role: 'system', content: context },
      { role: 'user', content: 'Which option of tidepool sweep keeps the newest buckets?' },
    ]);
    expect(answer.content).toBe('--keep=N Leave the N newest buckets in place whatever their age [3].');
  });

  it('answers from a context compressed to the one unit that answers, instead of declining it', () => {
    // Over one unit, the IDF of a term it holds is log(1 + 0.5/1.5) against log(1 + 1.5/0.5) for one it
    // lacks: without a floor on the unit count, this answer (3 of the 4 question terms) would support it 0.38.
    const answer = new OfflineExtractiveChatModel({ minSupport: 0.4 }).answer(
      askManual('Does a sweep skip sockets in a pond?', [
        { source: 'man/tidepool-sweep.txt', text: 'Sockets and named pipes are always skipped by a sweep.' },
      ]),
    );
    expect(answer.content).toBe('Sockets and named pipes are always skipped by a sweep [1].');
    expect(answer.citations[0]?.relevance).toBeGreaterThan(0.6);
  });

  it('answers from the only context unit when given corpus term weights, and declines it without them', () => {
    // The unit holds the question's rare terms; the reader's words it lacks are common in the corpus.
    // Over the context's units alone (at least 10) they weigh most, and the unit supports it under 0.4.
    const question = 'Are sockets and device files included when I make a bale?';
    const context = [
      {
        source: 'man/skerry.txt',
        text: 'Sockets, device files and named pipes are always skipped, with a note in the journal.',
      },
    ];
    const corpusIdf = (term: string) => (['socket', 'devic'].includes(term) ? 5 : 0.5);
    const strict = new OfflineExtractiveChatModel({ minSupport: 0.4 });
    expect(strict.answer(askManual(question, context)).content).toBe(doNotKnowAnswer);
    expect(strict.answer(askManual(question, context), { corpusIdf }).content).toBe(
      'Sockets, device files and named pipes are always skipped, with a note in the journal [1].',
    );
  });

  describe('with a dense signal (bench-only)', () => {
    /** A stand-in for a sentence encoder: the cosine it gives each embedded text that holds one of `likes`, 0.1 to the rest. */
    function fakeSimilarity(likes: Record<string, number>, seen: string[] = []): TextSimilarity {
      return (_question, texts) => {
        seen.push(...texts);
        return texts.map((text) => Object.entries(likes).find(([words]) => text.includes(words))?.[1] ?? 0.1);
      };
    }

    it('embeds each quotable unit with its document name before its text', () => {
      const seen: string[] = [];
      model.answer(ask('How long do refunds take?').messages, {}, { similarity: fakeSimilarity({}, seen), weight: 0 });
      expect(seen).toContain('refunds\nRefunds are issued within 14 days of receiving the returned item.');
      expect(seen).toHaveLength(10);
    });

    it('chooses the unit the cosine favours when its weight outweighs the lexical rank', () => {
      const messages = ask('How fast is express shipping?').messages;
      const similarity = fakeSimilarity({ 'Standard orders ship': 0.9 });
      expect(model.answer(messages, {}, { similarity, weight: 0 }).content).toMatch(/next business day/);
      expect(model.answer(messages, {}, { similarity, weight: 2 }).content).toMatch(
        /^Standard orders ship within two business days \[2\]\./,
      );
    });

    it("answers below minSupport only when the chosen unit's cosine reaches minCosine", () => {
      const messages = ask('How do I get my money back?').messages;
      const similarity = fakeSimilarity({ 'Refunds are issued': 0.8 });
      expect(model.answer(messages).content).toBe(doNotKnowAnswer);
      expect(model.answer(messages, {}, { similarity, weight: 1, minCosine: 0.85 }).content).toBe(doNotKnowAnswer);
      expect(model.answer(messages, {}, { similarity, weight: 1, minCosine: 0.75 }).content).toMatch(
        /^Refunds are issued within 14 days of receiving the returned item \[1\]\./,
      );
    });
  });
});
