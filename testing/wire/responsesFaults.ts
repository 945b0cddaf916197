/** What the Responses API says when a response fails while it streams: a server error, worded as OpenAI words its server errors (no recording of one mid-stream was at hand; the recorded `error` event is an `insufficient_quota`). */
const STREAM_ERROR = {
  type: 'server_error',
  code: 'server_error',
  message: 'An error occurred while processing your request. You can retry your request, or contact us through our help center at help.openai.com if the error persists.',
  param: null,
};

/**
 * The Responses API's error inside a 200 stream, as one frame of two events: `event: error` with
 * the error nested under `error` (`{ type, code, message, param }`), numbered `sequenceNumber`, then
 * `response.failed` numbered next, whose `response` is `failed` — given as it stood — with the
 * error's `code` and `message`. The stream ends there.
 *
 * @example
 * responsesErrorFrame(7, { id: 'resp_mock1', object: 'response', status: 'in_progress', output: [] });
 * // 'event: error\ndata: {"type":"error","sequence_number":7,"error":{…}}\n\nevent: response.failed\ndata: {…,"sequence_number":8,…}\n\n'
 */
export function responsesErrorFrame(sequenceNumber: number, response: Record<string, unknown>): string {
  const error = JSON.stringify({ type: 'error', sequence_number: sequenceNumber, error: STREAM_ERROR });
  const failed = JSON.stringify({
    type: 'response.failed',
    sequence_number: sequenceNumber + 1,
    response: { ...response, status: 'failed', error: { code: STREAM_ERROR.code, message: STREAM_ERROR.message } },
  });
  return `event: error\ndata: ${error}\n\nevent: response.failed\ndata: ${failed}\n\n`;
}
