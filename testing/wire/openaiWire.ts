import type { MockTurn } from '../mockModel';
import { tokenize } from '../mockModel';
import { textPieces } from '../textPieces';
import type { FramedStream } from '../route';
import { brokenJson } from './brokenJson';
import { openaiErrorFrame } from './openaiFaults';

export interface WireTurn {
  turn: MockTurn;
  /** the model id to report */
  model: string;
  /** a stable id for this answer */
  id: string;
}

/** How an OpenAI-style stream differs between the servers that speak it. */
export interface OpenAIFramesOptions {
  /** `'chunk'`: a `choices: []` usage chunk after the finish (`stream_options.include_usage`); `'none'`: no usage */
  usage: 'chunk' | 'none';
  /** `system_fingerprint` (default `fp_mock`; LM Studio echoes the model key) */
  systemFingerprint?: string;
  /** fields the finish chunk carries besides its choice (LM Studio's REST API: `stats`, `model_info`, `runtime`) */
  finishExtras?: Record<string, unknown>;
  /**
   * as a search model does: the first `n` sentences of the answer are cited, each by a `url_citation`
   * annotation (`https://source-<k>.example/`, offsets in characters — code points — of the text) on the
   * finish chunk's delta (header `x-mock-url-citations: n`)
   */
  urlCitations?: number;
  /**
   * the answer is a call of this custom tool (`type: "custom"`), the answer's text its free-text input,
   * streamed in pieces after a first fragment with the id and name (header `x-mock-custom-tool: <name>`)
   */
  customTool?: string;
}

/**
 * The frames of an OpenAI Chat Completions stream for `turn`, written from the OpenAI API
 * reference and recorded streams, independently of the client's parser: a role chunk, one chunk
 * per token (per piece of `textPieces`), tool calls as a first fragment with id and name followed by argument pieces, a
 * finish chunk with an empty delta, the usage chunk (`choices: []`) when asked for, and `[DONE]`.
 * The role chunk leads; the finish chunk, the usage chunk and `[DONE]` are terminal.
 */
export function openaiFrames({ turn, model, id }: WireTurn, options: OpenAIFramesOptions): FramedStream {
  const created = 1_750_000_000;
  const fingerprint = options.systemFingerprint ?? 'fp_mock';
  const payload = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: fingerprint, choices, ...extra });
  const frame = (choices: unknown[], extra: Record<string, unknown> = {}) => `data: ${payload(choices, extra)}\n\n`;
  const delta = (d: Record<string, unknown>, finish: string | null = null) => ({ index: 0, delta: d, logprobs: null, finish_reason: finish });

  const frames: string[] = [];
  const contentFrames: number[] = [];
  const content = (choices: unknown[]) => contentFrames.push(frames.push(frame(choices)) - 1);
  const tokens = textPieces(turn);
  const custom = options.customTool;
  frames.push(frame([delta({ role: 'assistant', content: turn.toolCalls.length || custom ? null : '', refusal: null })]));
  for (const token of tokenize(turn.reasoning)) content([delta({ reasoning_content: token })]);
  if (custom) {
    content([delta({ tool_calls: [{ index: 0, id: `call_custom_${id.slice(-8)}`, type: 'custom', custom: { name: custom, input: '' } }] })]);
    for (const token of tokens) content([delta({ tool_calls: [{ index: 0, custom: { input: token } }] })]);
  } else for (const token of tokens) content([delta({ content: token })]);
  turn.toolCalls.forEach((call, index) => {
    content([delta({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] })]);
    for (let i = 0; i < call.arguments.length; i += 8) {
      content([delta({ tool_calls: [{ index, function: { arguments: call.arguments.slice(i, i + 8) } }] })]);
    }
  });
  const terminalStart = frames.length;
  const annotations = options.urlCitations && !custom ? urlCitationsOf(turn.text, options.urlCitations) : [];
  frames.push(frame([delta(annotations.length ? { annotations } : {}, custom ? 'tool_calls' : turn.finishReason)], options.finishExtras));
  if (options.usage === 'chunk') {
    const outputTokens = tokens.length + tokenize(turn.reasoning).length + turn.toolCalls.reduce((n, c) => n + Math.ceil(c.arguments.length / 4), 0);
    frames.push(
      frame([], {
        usage: {
          prompt_tokens: turn.inputTokens,
          completion_tokens: outputTokens,
          total_tokens: turn.inputTokens + outputTokens,
          prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: tokenize(turn.reasoning).length, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
        },
      }),
    );
  }
  frames.push('data: [DONE]\n\n');
  return {
    stream: frames,
    contentFrames,
    terminalFrames: frames.length - terminalStart,
    errorFrame: openaiErrorFrame('\n\n'),
    malformedFrame: `data: ${brokenJson(payload([delta({ content: 'malformed' })]))}\n\n`,
  };
}

/**
 * `url_citation` annotations of the first `count` sentences of `text`, as OpenAI's search models send
 * them: `start_index` / `end_index` count characters (code points), `end_index` exclusive.
 */
function urlCitationsOf(text: string, count: number): unknown[] {
  const annotations: unknown[] = [];
  const sentence = /[^.!?]+[.!?]+/g;
  let match: RegExpExecArray | null;
  while (annotations.length < count && (match = sentence.exec(text)) !== null) {
    const lead = match[0].length - match[0].trimStart().length;
    const start = Array.from(text.slice(0, match.index + lead)).length;
    const k = annotations.length + 1;
    annotations.push({ type: 'url_citation', url_citation: { end_index: start + Array.from(match[0].trim()).length, start_index: start, title: `Source ${k}`, url: `https://source-${k}.example/` } });
  }
  return annotations;
}

/** The non-streaming answer (`stream: false`), for clients that ask for one. */
export function openaiCompletion({ turn, model, id }: WireTurn): Record<string, unknown> {
  const outputTokens = tokenize(turn.text).length;
  return {
    id,
    object: 'chat.completion',
    created: 1_750_000_000,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: turn.toolCalls.length ? null : turn.text,
          refusal: null,
          ...(turn.toolCalls.length
            ? { tool_calls: turn.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) }
            : {}),
        },
        logprobs: null,
        finish_reason: turn.finishReason,
      },
    ],
    usage: { prompt_tokens: turn.inputTokens, completion_tokens: outputTokens, total_tokens: turn.inputTokens + outputTokens },
  };
}
