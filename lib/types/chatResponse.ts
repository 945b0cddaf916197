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
export interface ToolCall {
  /** the call's place among the answer's calls */
  index: number;
  /** the id its result answers (`toolCallId`); `''` only while a running answer has not heard it yet */
  id: string;
  /** the tool's name; `''` only while a running answer has not heard it yet */
  name: string;
  /** the parsed arguments, `undefined` while (or when) their JSON is not complete */
  arguments: unknown;
  /** the arguments as sent */
  argumentsText: string;
  thoughtSignature?: string;
  custom?: true;
  /** OpenAI Responses: the call's output item id (`fc_…`), sent back with it so that the reasoning item before it pairs with it */
  itemId?: string;
}

/** The codec of `ToolCall` (checked against the interface). */
export const ToolCall: t.Type<ToolCall> = t.intersection([
  t.type({ index: t.number, id: t.string, name: t.string, arguments: t.unknown, argumentsText: t.string }),
  t.partial({ thoughtSignature: t.string, custom: t.literal(true), itemId: t.string }),
]);

/** A whole answer, reduced from chunks by `accumulate()` (running) or `toResponse()` (at the end). */
export interface ChatResponse {
  /** the id of the provider that answered */
  provider: string;
  /** the answer's text so far */
  content: string;
  /** its thinking so far */
  reasoning: string;
  toolCalls: ToolCall[];
  /** the sources cited, each once, in the order they came */
  citations: Citation[];
  /** set by the chunk that ended the answer */
  finishReason: FinishReason | undefined;
  usage: Usage | undefined;
  /** the chunks' metadata merged (see `ChunkMetadata`) */
  metadata: Record<string, unknown>;
  id?: string;
  /** the model that answered (the last one named) */
  model?: string;
}

/** The codec of `ChatResponse` (checked against the interface). */
export const ChatResponse: t.Type<ChatResponse> = t.intersection([
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
