import { tokenize } from '../mockModel';
import type { FramedStream } from '../route';
import { brokenJson } from './brokenJson';
import { openaiErrorFrame } from './openaiFaults';
import type { WireTurn } from './openaiWire';

/**
 * The frames of a Mistral chat completions stream for `turn`, written from Mistral's API reference
 * and recorded streams (not from any client's parser): a role chunk `{"role":"assistant","content":""}`,
 * reasoning as `content` arrays of `thinking` parts, one chunk per text token, each tool call
 * WHOLE in one fragment, and usage — sent without being asked for — on the chunk that carries the
 * finish reason (together with the last token or the tool calls), then `[DONE]`. Ids are 32 hex
 * digits with no `chatcmpl-` prefix. The chunk with the finish reason is terminal (it may carry the
 * last token), like `[DONE]`; Mistral documents no error event, so the error frame is OpenAI's.
 */
export function mistralFrames({ turn, model, id }: WireTurn): FramedStream {
  const created = 1_750_000_000;
  const payload = (delta: Record<string, unknown>, finish: string | null = null, usage?: Record<string, unknown>) =>
    JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) });
  const frame = (delta: Record<string, unknown>, finish: string | null = null, usage?: Record<string, unknown>) => `data: ${payload(delta, finish, usage)}\n\n`;

  const reasoning = tokenize(turn.reasoning);
  const text = tokenize(turn.text);
  const outputTokens = reasoning.length + text.length + turn.toolCalls.reduce((n, c) => n + Math.ceil(c.arguments.length / 4), 0);
  const usage = { prompt_tokens: turn.inputTokens, total_tokens: turn.inputTokens + outputTokens, completion_tokens: outputTokens, prompt_tokens_details: { cached_tokens: 0 } };

  const frames = [frame({ role: 'assistant', content: '' })];
  for (const token of reasoning) frames.push(frame({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: token }] }] }));
  if (turn.toolCalls.length > 0) {
    for (const token of text) frames.push(frame({ content: token }));
    const calls = turn.toolCalls.map((call, index) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments }, index }));
    frames.push(frame({ tool_calls: calls }, turn.finishReason, usage));
  } else {
    text.forEach((token, i) => frames.push(i === text.length - 1 ? frame({ content: token }, turn.finishReason, usage) : frame({ content: token })));
    if (text.length === 0) frames.push(frame({ content: '' }, turn.finishReason, usage));
  }
  frames.push('data: [DONE]\n\n');
  return {
    stream: frames,
    // every frame between the role chunk and the finish chunk carries the answer
    contentFrames: frames.slice(1, -2).map((_, i) => i + 1),
    terminalFrames: 2,
    errorFrame: openaiErrorFrame('\n\n'),
    malformedFrame: `data: ${brokenJson(payload({ content: 'malformed' }))}\n\n`,
  };
}
