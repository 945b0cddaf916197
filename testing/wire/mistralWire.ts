import { tokenize } from '../mockModel';
import { textPieces } from '../textPieces';
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
 * last token), like `[DONE]`; Mistral documents no error event, so the error frame is OpenAI's. An
 * answer that breaks off (`finishReason: null`) keeps its last token in a content chunk of its own
 * and has neither the finish chunk nor `[DONE]`.
 */
export function mistralFrames({ turn, model, id }: WireTurn): FramedStream {
  const created = 1_750_000_000;
  const payload = (delta: Record<string, unknown>, finish: string | null = null, usage?: Record<string, unknown>) =>
    JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) });
  const frame = (delta: Record<string, unknown>, finish: string | null = null, usage?: Record<string, unknown>) => `data: ${payload(delta, finish, usage)}\n\n`;

  const reasoning = tokenize(turn.reasoning);
  const text = textPieces(turn);
  const outputTokens = reasoning.length + text.length + turn.toolCalls.reduce((n, c) => n + Math.ceil(c.arguments.length / 4), 0);
  const usage = { prompt_tokens: turn.inputTokens, total_tokens: turn.inputTokens + outputTokens, completion_tokens: outputTokens, prompt_tokens_details: { cached_tokens: 0 } };

  const frames = [frame({ role: 'assistant', content: '' })];
  const contentFrames: number[] = [];
  const content = (delta: Record<string, unknown>) => contentFrames.push(frames.push(frame(delta)) - 1);
  for (const token of reasoning) content({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: token }] }] });
  const finish = turn.finishReason;
  if (finish === null) {
    for (const token of text) content({ content: token });
  } else if (turn.toolCalls.length > 0) {
    for (const token of text) content({ content: token });
    const calls = turn.toolCalls.map((call, index) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments }, index }));
    frames.push(frame({ tool_calls: calls }, finish, usage));
  } else {
    // the last token rides on the finish chunk
    for (const token of text.slice(0, -1)) content({ content: token });
    frames.push(frame({ content: text[text.length - 1] ?? '' }, finish, usage));
  }
  if (finish !== null) frames.push('data: [DONE]\n\n');
  return {
    stream: frames,
    contentFrames,
    terminalFrames: finish === null ? 0 : 2,
    errorFrame: openaiErrorFrame('\n\n'),
    malformedFrame: `data: ${brokenJson(payload({ content: 'malformed' }))}\n\n`,
  };
}
