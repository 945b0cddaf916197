import { externalFixtures } from '../support/externalFixtures';
import { isHttpError } from '../../lib';
import { describeExternalConformance, endsBeforeFinish, expectPeerReading, type Difference } from '../support/externalConformance';

/** The last `usageMetadata` with a total that a body carries. */
function lastUsage(body: Buffer): { toolUsePromptTokenCount?: number; totalTokenCount: number } {
  const usages = [...body.toString('utf8').matchAll(/^data: (.*)$/gm)].map((m) => (JSON.parse(m[1]) as { usageMetadata?: { totalTokenCount?: number } }).usageMetadata);
  return usages.filter((u) => typeof u?.totalTokenCount === 'number').at(-1) as { toolUsePromptTokenCount?: number; totalTokenCount: number };
}

/**
 * A body whose server ran tools itself (MCP): rxllm counts the prompt tokens of those runs
 * (`toolUsePromptTokenCount`) as input, where the peers leave them out — so input + output is the
 * body's total; everything else as the peer reads it.
 */
const toolUsePrompt: Difference = {
  reason: "the server's own tool runs' prompt tokens counted as input (toolUsePromptTokenCount): input + output = total",
  check: (expected, outcome, body) => {
    const usage = lastUsage(body);
    expect(usage.toolUsePromptTokenCount).toBeGreaterThan(0);
    expectPeerReading({ ...expected, usage: { ...expected.usage, inputTokens: (expected.usage?.inputTokens ?? 0) + usage.toolUsePromptTokenCount! } }, outcome, body);
    expect((outcome.response.usage?.inputTokens ?? 0) + (outcome.response.usage?.outputTokens ?? 0)).toBe(usage.totalTokenCount);
  },
};

/**
 * The Gemini `streamGenerateContent` bodies other projects recorded from the Gemini API and Vertex AI
 * (external/, `api: streamGenerateContent`), read by the gemini provider and compared with the peer's
 * reading. The bodies rxllm reads otherwise, with the reason:
 */
const DIFFERENCES: Record<string, Difference> = {
  'genai-chats-sendmessage-multiple-messages-with-server-side-mcp-tools-stream-0': toolUsePrompt,
  'genai-chats-sendmessage-multiple-messages-with-server-side-mcp-tools-stream-1': toolUsePrompt,
  'genai-client-server-side-mcp-server-ml-dev-should-call-server-side-mcp-server-stream-0': toolUsePrompt,
  'genai-client-generatecontentstream-ml-dev-should-return-the-headers-in-the-sdkhttpresponse-for-each-chunk-0': {
    reason: 'an empty recording (0 bytes): the peer reads an empty answer, rxllm a stream that ended before a finish reason',
    check: endsBeforeFinish,
  },
  'genai-chats-sendmessage-send-message-stream-with-error-0': {
    reason: "an HTTP 404 error body: the peer's error carries the body's JSON text, rxllm's HttpError the API's message and status",
    check: (expected, { response, error }, body) => {
      expect(isHttpError(error) && { status: error.status, retryable: error.retryable }).toEqual({ status: 404, retryable: false });
      expect((error as Error).message).toContain((JSON.parse(body.toString('utf8')) as { error: { message: string } }).error.message);
      expect(response.content).toBe(expected.content);
    },
  },
};

const fixtures = externalFixtures('streamGenerateContent');
describeExternalConformance('Gemini conformance on the streams other projects recorded', { fixtures, provider: 'gemini', differences: DIFFERENCES, seeds: 20 });

test('the manifest lists 81 recorded streamGenerateContent streams', () => {
  expect(fixtures).toHaveLength(81);
});
