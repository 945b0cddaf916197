import type { ThinkingBlock } from './thinkingBlock';
import type { ToolResult } from './toolResult';
import type { Usage } from './usage';

/**
 * What a chunk's `metadata` may carry: the provider's extras the flat `Chunk` has no field for, and
 * the marks that operators set and read from each other. Every key is optional; for each, who writes
 * it and who reads it. The index signature keeps any other key allowed (a provider's raw extra, a
 * mark of your own), typed `unknown` until you declare it.
 *
 * Your own keys: declare them, and they are typed everywhere a chunk is.
 *
 * @example
 * declare module 'rxllm' {
 *   interface ChunkMetadata {
 *     /** set by my transformChunk *\/
 *     sentiment?: 'positive' | 'negative';
 *   }
 * }
 * streamChat$('openai', messages, { transformChunk: (c) => ({ ...c, metadata: { ...c.metadata, sentiment: 'positive' } }) })
 *   .subscribe((c) => c.metadata?.sentiment); // 'positive' | 'negative' | undefined
 */
export interface ChunkMetadata {
  [key: string]: unknown;

  // ---- the answer's end, as the provider said it ----
  /** the provider's own finish reason before mapping (`end_turn`, `MAX_TOKENS`, …). Written by every decoder with the finish; read by `validateQuality` (its `truncated` issue) */
  rawFinishReason?: string;
  /** Anthropic: the stop sequence that ended the answer. Written by the Anthropic decoder */
  stopSequence?: string;
  /** Anthropic: the API's `stop_details`, as sent. Written by the Anthropic decoder */
  stopDetails?: unknown;
  /** Anthropic (beta): a `fallback` block as sent, `{ type, from: { model }, to: { model }, trigger }`: the `from` model refused and `to` answers from here (the chunks' `model` is `to`'s from then on). Written by the Anthropic decoder */
  fallback?: unknown;
  /** Gemini: the candidate's `finishMessage`. Written by the Gemini decoder */
  finishMessage?: string;
  /** Gemini: the safety ratings of a `content_filter` finish. Written by the Gemini decoder */
  safetyRatings?: unknown;
  /** Gemini: the prompt's `promptFeedback`, as sent. Written by the Gemini decoder */
  promptFeedback?: unknown;
  /** Gemini: why the prompt was blocked. Written by the Gemini decoder */
  blockReason?: string;
  /** the chunk is (part of) a refusal, streamed as `content`. Written by the OpenAI-compatible decoder; read by the recovery plumbing (a prefill the model refused) */
  refusal?: boolean;
  /** OpenAI audio answers: the audio's `id` (what a later turn refers to it by) and when it expires (Unix seconds); its `transcript` is the chunk's `content`, its `data` is not kept. Written by the OpenAI-compatible decoder */
  audio?: { id?: string; expiresAt?: number };
  /** a provider-side moderation result sent with the chunk, as sent (OpenAI-compatible servers); `contentModeration`'s own report is this key too (`ModerationReport` of `rxllm/providers/openai`). Read by your code */
  moderation?: unknown;

  // ---- reasoning ----
  /** Anthropic: the signature that closes a thinking block. Written by the Anthropic decoder; read by `annotateReasoning` (a signature closes its block; the end marker carries it) */
  thinkingSignature?: string;
  /** Anthropic: redacted thinking blocks, opaque, to send back. Written by the Anthropic decoder */
  redactedThinking?: string[];
  /** Anthropic: every thinking and redacted thinking block of the answer so far, complete and in order, each time one ends (so the answer's is the last); OpenAI Responses: its reasoning items, each once the item after it began. Written by those decoders; read by `toAssistantMessage`, to send back as the assistant turn's `thinkingBlocks` */
  thinkingBlocks?: ThinkingBlock[];
  /** Gemini: the latest thought signature, and all of them so far (a call's own is also on its `ToolCallDelta` / `ToolCall`). Written by the Gemini decoder */
  thoughtSignature?: string;
  thoughtSignatures?: unknown;
  /** Perplexity `stream_mode: "concise"`: the reasoning steps of the chunk, as sent (`thought`, `type`, and the step's payload such as `web_search: { search_keywords, search_results }`); their thoughts are the chunk's `reasoning`. Written by the Perplexity decoder */
  reasoningSteps?: unknown[];
  /** `'reasoning-start' | 'reasoning' | 'reasoning-end'`. Written by `annotateReasoning` (rxllm/providers/anthropic); read by UIs */
  annotation?: string;
  /** the number (0, 1, …) of the reasoning block a chunk belongs to. Written by `annotateReasoning` */
  reasoningBlock?: number;

  // ---- citations ----
  /** Gemini: the candidate's `groundingMetadata`, as sent (its sources and supports are also mapped to `citations`): `webSearchQueries`, and `searchEntryPoint.renderedContent`, the search suggestions Google asks to show with a grounded answer. Written by the Gemini decoder */
  groundingMetadata?: unknown;
  /** sources `validateSources` dropped (`DroppedSource[]` of rxllm/providers/perplexity). Written by `validateSources` with `onInvalid: 'drop'`; read by `inlineCitations` (dropped sources keep their number) */
  droppedSources?: unknown[];
  /** sources `validateSources` found invalid and kept (`DroppedSource[]`). Written by `validateSources` */
  invalidSources?: unknown[];

  // ---- what the answer cost, as the provider counts it ----
  /** the provider's own price of the request, in USD, on the chunk that carries the final usage (Perplexity `usage.cost`); not an estimate of rxllm's (prices of your own: `trackMetrics({ prices })`, `costOf`); summed over a stream's requests as `StreamMetrics.providerCost`. Written by the Perplexity decoder */
  cost?: { total: number; input?: number; output?: number; request?: number; reasoning?: number; citations?: number; searchQueries?: number; currency: 'USD' };
  /** the search's own counts, on the chunk that carries the final usage (Perplexity `citation_tokens`, `num_search_queries`, `search_context_size`). Written by the Perplexity decoder */
  searchUsage?: { citationTokens?: number; searchQueries?: number; contextSize?: string };

  // ---- recovery, hops, validation (the coordinator) ----
  /** a point the provider can resume from exactly (Gemini checkpoints). Written by the Gemini decoder; read by `recoverStream` (a checkpoint) and `followContinuations` */
  continuationToken?: string;
  /** n on the first chunk of the n-th further hop of an answer the API split. Written by `followContinuations`; read by `trackMetrics` (`hops`) */
  hop?: number;
  /** the count of requests sent again before any content, on the first chunk of each. Written by `recoverStream`; read by `trackMetrics` (`retries`) */
  retry?: number;
  /** the count of continuations after content, on the first chunk of each. Written by `recoverStream`; read by `trackMetrics` (`recoveries`) */
  recovery?: number;
  /** each attempt's usage and failure, on the chunk with the final usage after a recovery. Written by `recoverStream` (`AttemptRecord[]`) */
  attempts?: Array<{ usage?: Usage; error?: string }>;
  /** how many invalid chunks were dropped before this one. Written by `validateChunk` (`onInvalid: 'drop'`); read by `trackMetrics` (`errors`) and summed by `bufferChunks` */
  validationDropped?: number;

  // ---- tools that run themselves (`execute`, `maxSteps`) ----
  /** the step (0, 1, …) of a tool run a chunk belongs to, on every chunk of the run. Written by the tool loop of `streamChat$`; read by `trackMetrics` (`steps`) and `toMessages` */
  step?: number;
  /** a tool's result, on a chunk of its own after the answer that called it (no text). Written by the tool loop of `streamChat$`; read by `toMessages`, and by UIs */
  toolResult?: ToolResult;

  // ---- provider features ----
  /** a tool call whose arguments are complete (`FunctionCallHighlight` of rxllm/providers/openai). Written by `highlightFunctionCalls` */
  functionCall?: unknown;
  /** the answer's quality report (`QualityReport` of rxllm/providers/anthropic). Written by `validateQuality` on the final chunk */
  quality?: unknown;
  /** the code block a chunk's text belongs to, `{ index, language }`. Written by `formatCodeBlocks` (rxllm/providers/mistral) */
  codeBlock?: { index: number; language: string | null };
  /** a finished code block (`CompletedCodeBlock` of rxllm/providers/mistral). Written by `formatCodeBlocks` on a chunk of its own */
  completedCodeBlock?: unknown;
  /** the answer's speed (`LMStudioPerformance` of rxllm/providers/lmstudio). Written by `showPerformance` on the final chunk */
  performance?: unknown;
  /** LM Studio's own stats (`LMStudioStats`), native API. Written by the LM Studio decoder; read by `showPerformance` */
  stats?: unknown;
  /** LM Studio REST v1: the tools the server ran itself while answering (`LMStudioServerToolCall[]`, the list so far). Written by the LM Studio v1 decoder */
  serverToolCalls?: unknown[];
  /** LM Studio's model and runtime info, native API. Written by the LM Studio decoder */
  modelInfo?: unknown;
  runtime?: unknown;
  /** Ollama's timings in ns, and the tokens per second they give. Written by the Ollama decoder on the final chunk */
  totalDurationNs?: number;
  loadDurationNs?: number;
  promptEvalDurationNs?: number;
  evalDurationNs?: number;
  tokensPerSecond?: number;
}
