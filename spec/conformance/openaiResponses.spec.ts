import { lastValueFrom } from 'rxjs';
import { isParseError, streamChat$, toResponse } from '../../lib';
import { mockBaseURL } from '../../testing';
import { describeExternalConformance, expectPeerReading, type Difference, type Outcome } from '../support/externalConformance';
import { externalBody, externalExpected, externalFixtures, type ExternalExpected } from '../support/externalFixtures';
import { startReplayServer } from '../support/replayServer';

/** The `delta`s of every event of `type` in a body, joined: the text as streamed, read straight from the bytes. */
function streamed(body: Buffer, type: string): string {
  const parts: string[] = [];
  for (const line of body.toString('utf8').split(/\r?\n/)) {
    if (!line.startsWith('data:')) continue;
    try {
      const payload = JSON.parse(line.slice(5)) as { type?: string; delta?: unknown };
      if (payload.type === type && typeof payload.delta === 'string') parts.push(payload.delta);
    } catch {
      // not JSON: not an event of `type`
    }
  }
  return parts.join('');
}

/** rxllm's reading where the peer raised on a body that rxllm reads whole: no error, the streamed text, a finish */
const readsOn = (finish: string) => (_: ExternalExpected, { response, error }: Outcome, body: Buffer) => {
  expect(error).toBeUndefined();
  expect(response.content).toBe(streamed(body, 'response.output_text.delta'));
  expect(response.reasoning).toBe(streamed(body, 'response.reasoning_text.delta') + streamed(body, 'response.reasoning_summary_text.delta'));
  expect(response.finishReason).toBe(finish);
};

/** rxllm's reading of a body that holds several responses: the first one, to its `response.completed` (the fields the peer delivered before raising) */
const firstResponse = (expected: ExternalExpected, { response, error }: Outcome) => {
  expect(error).toBeUndefined();
  expect(response.content).toBe(expected.content);
  expect(response.reasoning).toBe(expected.reasoning);
  expect(response.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments }))).toEqual(expected.toolCalls);
  expect(response.toolCalls.map((call) => call.id)).toEqual(expected.toolCallIds);
  expect(response.finishReason).toBe(expected.toolCalls.length > 0 ? 'tool_calls' : 'stop');
  for (const [name, count] of Object.entries(expected.usage ?? {})) expect(response.usage?.[name as keyof typeof response.usage]).toBe(count);
};

/** the text as its deltas streamed it, where the peer reports the final `output_text.done` text instead; the rest as the peer reads it */
const deltasNotFinalText = (expected: ExternalExpected, outcome: Outcome, body: Buffer) => {
  expect(outcome.response.content).toBe(streamed(body, 'response.output_text.delta'));
  expectPeerReading({ ...expected, content: outcome.response.content }, outcome, body);
};

/**
 * The bodies rxllm reads otherwise than the `openai` package (external/SOURCES.md says what is odd
 * about each), with the reason and rxllm's own reading, checked instead of the peer's. Every other
 * body is read as the peer reads it. docs/providers/openai-responses.md lists them too.
 */
const DIFFERENCES: Record<string, Difference> = {
  'vercel-openai-responses-github-copilot-id-rotation.1': {
    reason: 'every event has a new response id; the SDK refuses that, rxllm does not compare ids and reads the answer',
    check: readsOn('stop'),
  },
  'vercel-openai-responses-openai-apply-patch-tool.1': {
    reason: 'apply_patch_call events the SDK does not know make it raise; rxllm skips events it does not map',
    check: readsOn('stop'),
  },
  'ruby-llm-providers-bedrock-mantle-responses-chat-streams-through-the-responses-surface-0': {
    reason: "Bedrock's reasoning_part events make the SDK raise; rxllm skips them and reads the reasoning text",
    check: readsOn('stop'),
  },
  'vercel-openai-responses-openai-reasoning-encrypted-content.1': {
    reason: 'four responses back to back (a multi-step run recorded as one file); rxllm ends at the first one',
    check: firstResponse,
  },
  'vercel-azure-azure-reasoning-encrypted-content.1': {
    reason: 'four responses back to back (a multi-step run recorded as one file); rxllm ends at the first one',
    check: firstResponse,
  },
  'vercel-openai-responses-openai-shell-tool.1': {
    reason: 'two responses back to back (a multi-step run recorded as one file); rxllm ends at the first one',
    check: firstResponse,
  },
  'vercel-openai-responses-parallel-tool-call-wrapper.1': {
    reason: 'payloads that are not JSON (a hand-written file); both raise, rxllm with ParseError',
    check: (_, { response, error }) => {
      expect(isParseError(error) && error.kind).toBe('json');
      expect(response.content).toBe('');
    },
  },
  'vercel-openai-responses-openai-phase.1': {
    reason: "text deltas cut out of the file; the SDK reports the final output_text, rxllm the text as it streamed",
    check: deltasNotFinalText,
  },
  'vercel-openai-responses-openai-shell-container.1': {
    reason: "text deltas cut out of the file; the SDK reports the final output_text, rxllm the text as it streamed",
    check: deltasNotFinalText,
  },
};

const fixtures = externalFixtures('responses');
describeExternalConformance('OpenAI Responses API conformance on the streams other projects recorded', {
  fixtures,
  provider: 'openai-responses',
  differences: DIFFERENCES,
  seeds: 50,
});

test('the manifest lists the 74 recorded Responses streams, each with the peer reading', () => {
  expect(fixtures).toHaveLength(74);
  for (const fixture of fixtures) expect(externalExpected(fixture)).toBeDefined();
});

test("OpenAI's custom tool call, replayed for a request that declared the tool: rxllm's call is the one the peer lists apart (extra.otherCalls)", async () => {
  // the suite replays every body for a request that declares no tool, so this one's call reads as none there, as the peer's toolCalls
  const fixture = fixtures.find((f) => f.name === 'vercel-openai-responses-openai-custom-tool.1')!;
  const peer = (externalExpected(fixture) as ExternalExpected & { extra: { otherCalls: Array<{ type: string; name: string; callId: string }> } }).extra.otherCalls;
  const server = await startReplayServer();
  try {
    server.respondWith({ body: externalBody(fixture), cuts: [], contentType: fixture.contentType });
    const options = { baseURL: mockBaseURL(server, 'openai-responses'), apiKey: 'sk-test-external-replay', extraBody: { tools: [{ type: 'custom', name: peer[0].name }] } };
    const response = await lastValueFrom(streamChat$('openai-responses', [{ role: 'user', content: 'replay' }], options).pipe(toResponse()));
    expect(peer.map((call) => call.type)).toEqual(['custom_tool_call']);
    expect(response.toolCalls.map(({ id, name, custom }) => ({ type: custom ? 'custom_tool_call' : 'function_call', name, callId: id }))).toEqual(peer);
    expect(response.toolCalls[0].argumentsText).toBe(streamed(externalBody(fixture), 'response.custom_tool_call_input.delta'));
    expect(response.finishReason).toBe('tool_calls');
  } finally {
    await server.close();
  }
});
