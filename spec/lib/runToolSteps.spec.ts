import { defer, lastValueFrom, map, of, Subject, toArray, type Observable } from 'rxjs';
import { runToolSteps } from '../../lib/assembly/runToolSteps';
import { toMessages, toResponse, type ChatMessage, type Chunk, type ToolDefinition } from '../../lib';

/** An answer that calls `calls` (name and arguments), or says `text`, as a provider's decoder streams it. */
function answerChunks(step: { calls?: Array<[string, string]>; text?: string; usage: number }): Chunk[] {
  const chunks: Chunk[] = [];
  const provider = 'openai';
  (step.calls ?? []).forEach(([name, args], index) => {
    chunks.push({ provider, seq: 0, bytes: 10, model: 'gpt-test', toolCalls: [{ index, id: `call_${name}_${index}`, name }] });
    // the arguments in two fragments, as the wire splits them
    const cut = Math.floor(args.length / 2);
    chunks.push({ provider, seq: 0, bytes: 10, toolCalls: [{ index, argumentsDelta: args.slice(0, cut) }] }, { provider, seq: 0, bytes: 10, toolCalls: [{ index, argumentsDelta: args.slice(cut) }] });
  });
  if (step.text) for (const word of step.text.split(/(?<=\s)/)) chunks.push({ provider, seq: 0, bytes: 10, content: word });
  chunks.push({ provider, seq: 0, bytes: 5, finishReason: step.calls ? 'tool_calls' : 'stop', usage: { inputTokens: 10, outputTokens: step.usage, totalTokens: 10 + step.usage } });
  return chunks.map((chunk, seq) => ({ ...chunk, seq }));
}

/** A scripted model: step n answers `steps[n]`; each request's messages are kept. */
function scripted(steps: Array<Parameters<typeof answerChunks>[0]>) {
  const asked: ChatMessage[][] = [];
  const answer = (messages: readonly ChatMessage[], n: number): Observable<Chunk> =>
    defer(() => {
      asked.push([...messages]);
      return of(...answerChunks(steps[n]));
    });
  return { asked, answer };
}

const QUESTION: ChatMessage[] = [{ role: 'user', content: 'Weather and time in Oslo, then the forecast?' }];

describe('runToolSteps: a run of tool steps as one stream', () => {
  test('two steps, two parallel calls in the first: seq contiguous, every chunk marked with its step, call indexes unique over the run, usage summed, results sent back in call order', async () => {
    const { asked, answer } = scripted([
      { calls: [['get_weather', '{"city":"Oslo"}'], ['get_time', '{"city":"Oslo"}']], usage: 7 },
      { calls: [['get_forecast', '{"city":"Oslo","days":2}']], usage: 5 },
      { text: 'Snow today,\n\n- mon: ❄\n- tue: 晴れ\n', usage: 9 },
    ]);
    // get_weather answers after get_time: results come as they finish, go back in the calls' order
    const slow = new Subject<string>();
    const tools: ToolDefinition[] = [
      { name: 'get_weather', execute: () => slow },
      { name: 'get_time', execute: () => (setTimeout(() => (slow.next('{"celsius":-3}'), slow.complete())), '17:05') },
      { name: 'get_forecast', execute: async () => ({ mon: '❄', tue: '晴れ' }) },
    ];
    const chunks = await lastValueFrom(runToolSteps(QUESTION, tools, { maxSteps: 5, concurrency: 8 }, answer).pipe(toArray()));

    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    expect(chunks.map((c) => c.metadata?.step)).toEqual([...Array(7 + 2).fill(0), ...Array(3 + 1 + 1).fill(1), ...Array(chunks.length - 14).fill(2)]);
    const results = chunks.filter((c) => c.metadata?.toolResult).map((c) => c.metadata!.toolResult!);
    expect(results.map((r) => [r.name, r.index, r.content])).toEqual([
      ['get_time', 1, '17:05'],
      ['get_weather', 0, '{"celsius":-3}'],
      ['get_forecast', 2, '{"mon":"❄","tue":"晴れ"}'],
    ]);
    // a result chunk has no text, the stream's provider and model, and no wire bytes
    expect(chunks.find((c) => c.metadata?.toolResult)).toMatchObject({ provider: 'openai', model: 'gpt-test', bytes: 0 });
    expect(chunks.some((c) => c.metadata?.toolResult && c.content !== undefined)).toBe(false);

    // what went back: the assistant turn of each step, then its results in the calls' order
    expect(asked).toHaveLength(3);
    expect(asked[1].slice(1)).toEqual([
      { role: 'assistant', content: null, toolCalls: [{ id: 'call_get_weather_0', name: 'get_weather', arguments: '{"city":"Oslo"}' }, { id: 'call_get_time_1', name: 'get_time', arguments: '{"city":"Oslo"}' }] },
      { role: 'tool', toolCallId: 'call_get_weather_0', content: '{"celsius":-3}' },
      { role: 'tool', toolCallId: 'call_get_time_1', content: '17:05' },
    ]);
    expect(asked[2].slice(4)).toEqual([
      { role: 'assistant', content: null, toolCalls: [{ id: 'call_get_forecast_0', name: 'get_forecast', arguments: '{"city":"Oslo","days":2}' }] },
      { role: 'tool', toolCallId: 'call_get_forecast_0', content: '{"mon":"❄","tue":"晴れ"}' },
    ]);

    // the run folds as one answer: the calls of both steps apart, the usage of all three requests, the last finish
    const response = await lastValueFrom(of(...chunks).pipe(toResponse()));
    expect(response.toolCalls.map((c) => [c.index, c.name])).toEqual([[0, 'get_weather'], [1, 'get_time'], [2, 'get_forecast']]);
    expect(response.usage).toEqual({ inputTokens: 30, outputTokens: 21, totalTokens: 51 });
    expect([response.finishReason, response.content]).toEqual(['stop', 'Snow today,\n\n- mon: ❄\n- tue: 晴れ\n']);
    // and toMessages gives exactly the turns the run sent, then the last answer
    const turns = await lastValueFrom(of(...chunks).pipe(toMessages()));
    expect(turns).toEqual([...asked[2].slice(1), { role: 'assistant', content: 'Snow today,\n\n- mon: ❄\n- tue: 晴れ\n' }]);
  });

  test('at most `concurrency` calls run at once', async () => {
    const calls = Array.from({ length: 5 }, (_, i): [string, string] => [`t${i}`, '{}']);
    const { answer } = scripted([{ calls, usage: 1 }, { text: 'done', usage: 1 }]);
    let running = 0;
    let most = 0;
    const tools = calls.map(([name]): ToolDefinition => ({
      name,
      execute: () => {
        most = Math.max(most, ++running);
        return new Promise((resolve) => setTimeout(() => (running--, resolve(name))));
      },
    }));
    const chunks = await lastValueFrom(runToolSteps(QUESTION, tools, { maxSteps: 2, concurrency: 2 }, answer).pipe(toArray()));
    expect(most).toBe(2);
    expect(chunks.filter((c) => c.metadata?.toolResult)).toHaveLength(5);
  });

  test('the last step allowed: its tools run and their results show, and no further request is sent', async () => {
    const { asked, answer } = scripted([{ calls: [['get_weather', '{}']], usage: 3 }, { calls: [['get_weather', '{}']], usage: 3 }]);
    const execute = jest.fn(() => 'sunny');
    const chunks = await lastValueFrom(runToolSteps(QUESTION, [{ name: 'get_weather', execute }], { maxSteps: 2, concurrency: 8 }, answer).pipe(toArray()));
    expect(asked).toHaveLength(2);
    expect(execute).toHaveBeenCalledTimes(2);
    expect(chunks.at(-1)?.metadata?.toolResult?.content).toBe('sunny');
    expect((await lastValueFrom(of(...chunks).pipe(toResponse()))).finishReason).toBe('tool_calls');
  });

  test('a call of a declared tool without execute ends the run with the calls unanswered: none of the step runs', async () => {
    const { asked, answer } = scripted([{ calls: [['get_weather', '{}'], ['ask_user', '{"question":"Which city?"}']], usage: 3 }]);
    const execute = jest.fn(() => 'sunny');
    const chunks = await lastValueFrom(runToolSteps(QUESTION, [{ name: 'get_weather', execute }, { name: 'ask_user' }], { maxSteps: 5, concurrency: 8 }, answer).pipe(toArray()));
    expect(asked).toHaveLength(1);
    expect(execute).not.toHaveBeenCalled();
    expect(chunks.at(-1)?.finishReason).toBe('tool_calls');
  });

  test("calls of an answer that says 'stop' run (servers that end a turn of calls so); calls cut by the token limit do not", async () => {
    const stopped = scripted([{ calls: [['get_weather', '{}']], usage: 3 }, { text: 'Sunny.', usage: 1 }]);
    const execute = jest.fn(() => 'sunny');
    const asStop = (messages: readonly ChatMessage[], n: number) =>
      stopped.answer(messages, n).pipe(map((chunk) => (chunk.finishReason === 'tool_calls' ? { ...chunk, finishReason: 'stop' as const } : chunk)));
    await lastValueFrom(runToolSteps(QUESTION, [{ name: 'get_weather', execute }], { maxSteps: 3, concurrency: 8 }, asStop).pipe(toArray()));
    expect([execute.mock.calls.length, stopped.asked.length]).toEqual([1, 2]);

    const cut = scripted([{ calls: [['get_weather', '{"city": "Os']], usage: 3 }]);
    const asLength = (messages: readonly ChatMessage[], n: number) =>
      cut.answer(messages, n).pipe(map((chunk) => (chunk.finishReason ? { ...chunk, finishReason: 'length' as const } : chunk)));
    const chunks = await lastValueFrom(runToolSteps(QUESTION, [{ name: 'get_weather', execute }], { maxSteps: 3, concurrency: 8 }, asLength).pipe(toArray()));
    expect([execute.mock.calls.length, cut.asked.length, chunks.at(-1)?.finishReason]).toEqual([1, 1, 'length']);
  });

  test('a call of a name no tool has gets an error result, and the run goes on', async () => {
    const { asked, answer } = scripted([{ calls: [['get_wether', '{}']], usage: 3 }, { text: 'Sorry.', usage: 1 }]);
    await lastValueFrom(runToolSteps(QUESTION, [{ name: 'get_weather', execute: () => 'sunny' }], { maxSteps: 5, concurrency: 8 }, answer).pipe(toArray()));
    expect(asked[1].at(-1)).toEqual({ role: 'tool', toolCallId: 'call_get_wether_0', content: 'There is no tool named "get_wether".', isError: true });
  });

  test('unsubscribing while tools run aborts every running tool; no further step is asked for', async () => {
    const { asked, answer } = scripted([{ calls: [['a', '{}'], ['b', '{}'], ['c', '{}']], usage: 3 }, { text: 'never', usage: 1 }]);
    const signals: AbortSignal[] = [];
    const tools = ['a', 'b', 'c'].map((name): ToolDefinition => ({ name, execute: (_args, { signal }) => (signals.push(signal), new Promise(() => undefined)) }));
    const seen: Chunk[] = [];
    const subscription = runToolSteps(QUESTION, tools, { maxSteps: 5, concurrency: 2 }, answer).subscribe((c) => seen.push(c));
    await new Promise((resolve) => setTimeout(resolve));
    // two are running (the limit), the third waits
    expect(signals.map((s) => s.aborted)).toEqual([false, false]);
    subscription.unsubscribe();
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
    expect(asked).toHaveLength(1);
    expect(seen.some((c) => c.metadata?.toolResult)).toBe(false);
  });
});
