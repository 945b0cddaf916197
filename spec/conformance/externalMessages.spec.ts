import { externalFixtures } from '../support/externalFixtures';
import { isParseError, type ChatResponse } from '../../lib';
import { describeExternalConformance, expectPeerReading, type Difference, type Outcome } from '../support/externalConformance';
import type { ExternalExpected } from '../support/externalFixtures';

/**
 * rxllm's reading of a body that holds several messages back to back (a multi-step run recorded as one
 * file; vercel merges them into one answer): the first message, to its `message_stop`, whole and with no
 * error — its text the start of the peer's merged text.
 */
const firstMessage = (expected: ExternalExpected, { response, error }: Outcome, body: Buffer) => {
  expect(error).toBeUndefined();
  const first = body.toString('utf8').split('event: message_stop')[0];
  const text = [...first.matchAll(/"type":"text_delta","text":("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string).join('');
  expect(response.content).toBe(text);
  expect(expected.content.startsWith(text)).toBe(true);
  expect(response.finishReason).toBe(/"stop_reason":"tool_use"/.test(first) ? 'tool_calls' : 'stop');
};

/**
 * The Anthropic Messages bodies other projects recorded (external/, `api: messages`), read by the
 * anthropic provider and compared with the peer's reading. The bodies rxllm reads otherwise, with the reason:
 */
const DIFFERENCES: Record<string, Difference> = Object.fromEntries(
  [
    'vercel-anthropic-anthropic-programmatic-tool-calling.1',
    'vercel-anthropic-anthropic-tool-search-bm25.1',
    'vercel-anthropic-anthropic-tool-search-deferred-bm25',
    'vercel-anthropic-anthropic-tool-search-deferred-regex',
    'vercel-anthropic-anthropic-tool-search-regex.1',
  ].map((name) => [name, { reason: 'several messages back to back (a multi-step run recorded as one file): rxllm reads the first', check: firstMessage }]),
);
DIFFERENCES['vercel-anthropic-anthropic-fallback'] = {
  reason: "a fallback block: @ai-sdk/anthropic reports the model of message_start, rxllm the fallback's to.model, the model that answered (as @anthropic-ai/sdk relabels the message)",
  check: (expected, outcome, body) => {
    const to = /"type":"fallback".*?"to":\{[^}]*"model":"([^"]+)"/.exec(body.toString('utf8'))?.[1];
    expect(to).toBeDefined();
    expectPeerReading({ ...expected, model: to }, outcome, body);
  },
};
DIFFERENCES['vercel-anthropic-anthropic-compaction.1'] = {
  reason: "a compaction block (the conversation's summary, to send back) is not the answer's text; usage is message_delta's, as @anthropic-ai/sdk reports it, not a sum over usage.iterations",
  check: (expected, { response, error }, body) => {
    expect(error).toBeUndefined();
    const text = [...body.toString('utf8').matchAll(/"type":"text_delta","text":("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string).join('');
    expect(response.content).toBe(text);
    expect(expected.content.endsWith(text)).toBe(true);
    const line = body.toString('utf8').split('\n').find((l) => l.startsWith('data: ') && l.includes('"type":"message_delta"'))!;
    const { usage } = JSON.parse(line.slice('data: '.length)) as { usage: { input_tokens: number; output_tokens: number } };
    expect({ input: response.usage?.inputTokens, output: response.usage?.outputTokens, finish: response.finishReason }).toEqual({ input: usage.input_tokens, output: usage.output_tokens, finish: expected.finish });
  },
};
DIFFERENCES['vercel-anthropic-spliced-message-start'] = {
  reason: 'a second message_start while the first message is open: @ai-sdk/anthropic raises and reports nothing, rxllm fails with ParseError carrying the first message as its partial answer, nothing of the second merged',
  check: (expected, { response, error }) => {
    expect(isParseError(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'framing', retryable: false });
    expect((error as Error).message).toContain('msg_second');
    expect((error as { partial?: ChatResponse }).partial).toEqual(response);
    expect({ id: response.id, reasoning: response.reasoning, signature: response.metadata.thinkingSignature }).toEqual({ id: 'msg_first', reasoning: 'I will call the tool.', signature: 'sig-first' });
    expect(response.toolCalls).toEqual([{ index: 0, id: 'toolu_first', name: 'test-tool', arguments: undefined, argumentsText: '{"value":"Spark' }]);
    expect(expected.error?.message).toContain('msg_second');
  },
};
DIFFERENCES['anthropic-sdk-incomplete-partial-json-response'] = {
  reason: "the answer stops at max_tokens inside a tool call's JSON: the SDK guesses the object from the partial JSON, rxllm keeps the text as sent and parses nothing",
  check: (expected, { response, error }) => {
    expect(error).toBeUndefined();
    expect(response.finishReason).toBe(expected.finish);
    const [call] = response.toolCalls;
    expect({ calls: response.toolCalls.length, name: call.name, id: call.id, arguments: call.arguments }).toEqual({ calls: 1, name: expected.toolCalls[0].name, id: expected.toolCallIds[0], arguments: undefined });
    // the text is a JSON object cut short: every key and value the SDK guessed is in it
    expect(call.argumentsText.startsWith('{')).toBe(true);
    for (const line of (expected.toolCalls[0].arguments as { lines_of_text: string[] }).lines_of_text) expect(call.argumentsText).toContain(JSON.stringify(line));
  },
};

const fixtures = externalFixtures('messages');
describeExternalConformance('Anthropic Messages conformance on the streams other projects recorded', { fixtures, provider: 'anthropic', differences: DIFFERENCES, seeds: 20 });

test('the manifest lists 50 recorded Messages streams', () => {
  expect(fixtures).toHaveLength(50);
});
