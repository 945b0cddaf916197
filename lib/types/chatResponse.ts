import * as t from 'io-ts';
import { Citation } from './citation';
import { FinishReason } from './finishReason';
import { Usage } from './usage';

/**
 * A tool call assembled from its fragments. `arguments` is the parsed JSON (or `undefined` when it
 * did not parse); `thoughtSignature` (Gemini) is what the call must be sent back with. A call of a
 * custom tool (`custom: true`, OpenAI's free-text tools) is never parsed: its input is `argumentsText`,
 * and `arguments` is that same text.
 */
export const ToolCall = t.intersection([
  t.type({
    index: t.number,
    id: t.union([t.string, t.undefined]),
    name: t.union([t.string, t.undefined]),
    arguments: t.unknown,
    argumentsText: t.string,
  }),
  t.partial({ thoughtSignature: t.string, custom: t.literal(true) }),
]);
export type ToolCall = t.TypeOf<typeof ToolCall>;

/** A whole answer, reduced from chunks by `accumulate()` (running) or `toResponse()` (at the end). */
export const ChatResponse = t.intersection([
  t.type({
    provider: t.string,
    content: t.string,
    reasoning: t.string,
    toolCalls: t.array(ToolCall),
    citations: t.array(Citation),
    finishReason: t.union([FinishReason, t.undefined]),
    usage: t.union([Usage, t.undefined]),
    metadata: t.record(t.string, t.unknown),
  }),
  t.partial({ id: t.string, model: t.string }),
]);
export type ChatResponse = t.TypeOf<typeof ChatResponse>;
