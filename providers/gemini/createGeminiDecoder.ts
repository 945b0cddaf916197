import { decodeWirePayload } from '../../lib/decodeWirePayload';
import { toProviderStreamError } from '../../lib/toProviderStreamError';
import { StreamInterruptedError } from '../../lib/errors/streamInterruptedError';
import type { DecoderContext, StreamDecoder } from '../../lib/provider';
import type { WireEvent } from '../../lib/transport/sseFraming';
import type { Chunk } from '../../lib/types/chunk';
import { citationKey, type Citation } from '../../lib/types/citation';
import type { ToolCallDelta } from '../../lib/types/toolCallDelta';
import { convertGeminiUsage } from './convertGeminiUsage';
import { geminiGroundingCitations, geminiSourceCitations } from './geminiCitations';
import { GeminiPartialArgs } from './geminiPartialArgs';
import { generateGeminiToolCallId } from './geminiToolCallId';
import { mapGeminiFinishReason } from './mapGeminiFinishReason';
import { GeminiWireResponse, type GeminiWireCandidate, type GeminiWireFunctionCall, type GeminiWireUsage } from './wireResponse';

/**
 * The Gemini `streamGenerateContent?alt=sse` decoder: each SSE event is one whole
 * `GenerateContentResponse`. (The bare JSON error Gemini may append after its last event, outside
 * the SSE framing, is found by the shared transport and ends the stream with `ProviderStreamError`.) Parts map to `content` (text), `reasoning` (`thought: true` text) and
 * `toolCalls` (a complete `functionCall` is one delta with the arguments as JSON; a Vertex streamed
 * call gets its name first and its assembled arguments when it ends). Usage is a running snapshot:
 * the last one is reported, on the chunk that carries the finish reason. A finish reason does not
 * end the reading (an error may follow it): the body's end does; a body that ends before any finish
 * reason or prompt block was cut short. A long answer may come in hops: a `continuationToken`
 * (a checkpoint, or with `finishReason: "CONTINUATION"` the end of a hop) goes to
 * `metadata.continuationToken`, and a hop's end carries no finish reason — `streamChat$` follows it
 * with the same request and that token (see `followContinuations`).
 */
export function createGeminiDecoder(context: DecoderContext): StreamDecoder {
  const { provider, emit } = context;
  let id: string | undefined;
  let model: string | undefined;
  /** a finish reason or a prompt block was seen */
  let finished = false;
  /** the finish reason was `CONTINUATION`: this hop ended, the answer goes on in the next */
  let hopEnded = false;
  let madeCall = false;
  let nextIndex = 0;
  let usage: GeminiWireUsage | undefined;
  let signatures: string[] | undefined;
  let streamed: { index: number; args: GeminiPartialArgs; signature?: string } | undefined;
  // the answer's text, kept for the citations' byte offsets: pieces joined only when a citation comes
  let answer = '';
  let answerPieces: string[] = [];
  /** the citations emitted so far (source and span): a repeated grounding adds only what is new */
  const cited = new Set<string>();

  // the chunk being built for the current event
  let chunk: Chunk;
  let toolCalls: ToolCallDelta[] | undefined;
  let metadata: Record<string, unknown> | undefined;

  const onPayload = (payload: GeminiWireResponse) => {
    if (payload.error !== undefined && payload.error !== null) throw toProviderStreamError(provider, payload);
    if (!id && payload.responseId) id = payload.responseId;
    if (!model && payload.modelVersion) model = payload.modelVersion;
    if (payload.usageMetadata) usage = payload.usageMetadata;
    const finishedBefore = finished;

    chunk = { provider, seq: 0, bytes: 0 };
    if (id) chunk.id = id;
    if (model) chunk.model = model;
    toolCalls = undefined;
    metadata = undefined;
    let meaningful = false;

    const candidate = firstCandidate(payload.candidates);
    if (candidate) meaningful = mapCandidate(candidate);
    const feedback = payload.promptFeedback;
    if (feedback) {
      (metadata ??= {}).promptFeedback = feedback;
      if (feedback.blockReason) {
        chunk.finishReason = 'content_filter';
        metadata.blockReason = feedback.blockReason;
        finished = true;
      }
      meaningful = true;
    }
    if (usage && (chunk.finishReason || hopEnded || (finishedBefore && payload.usageMetadata))) {
      const converted = convertGeminiUsage(usage);
      for (const _ in converted) {
        chunk.usage = converted;
        meaningful = true;
        break;
      }
    }
    if (toolCalls) {
      // a Vertex argument piece adds no delta until its call ends
      chunk.toolCalls = toolCalls;
      meaningful = true;
    }
    if (metadata) chunk.metadata = metadata;
    if (meaningful) emit(chunk);
  };

  /** Copies what the candidate carries onto the chunk; false when it carries nothing. */
  const mapCandidate = (candidate: GeminiWireCandidate): boolean => {
    let meaningful = false;
    let content = '';
    let reasoning = '';
    const parts = candidate.content?.parts;
    if (parts) {
      for (const part of parts) {
        const signature = part.thoughtSignature;
        if (signature) {
          signatures = signatures ? [...signatures, signature] : [signature];
          metadata ??= {};
          metadata.thoughtSignature = signature;
          metadata.thoughtSignatures = signatures;
          meaningful = true;
        }
        if (part.functionCall) onFunctionCall(part.functionCall, signature || undefined);
        else if (part.text) {
          if (part.thought) reasoning += part.text;
          else content += part.text;
        }
      }
    }
    if (content) {
      chunk.content = content;
      answerPieces.push(content);
      meaningful = true;
    }
    if (reasoning) {
      chunk.reasoning = reasoning;
      meaningful = true;
    }
    const quoted = candidate.citationMetadata;
    const sources = quoted?.citationSources ?? quoted?.citations;
    const grounding = candidate.groundingMetadata;
    if ((sources && sources.length > 0) || grounding) {
      if (answerPieces.length > 0) {
        answer += answerPieces.join('');
        answerPieces = [];
      }
      const found = sources ? geminiSourceCitations(sources, answer) : [];
      if (grounding) {
        found.push(...geminiGroundingCitations(grounding, answer));
        // as sent: `searchEntryPoint` (the search suggestions Google asks to show with a grounded answer) and `webSearchQueries`
        (metadata ??= {}).groundingMetadata = grounding;
        meaningful = true;
      }
      const citations = found.filter(isNew);
      if (citations.length > 0) {
        chunk.citations = citations;
        meaningful = true;
      }
    }
    const token = candidate.continuationToken;
    if (token) {
      // a checkpoint (or, with CONTINUATION, the next hop): the same request with it resumes right here
      (metadata ??= {}).continuationToken = token;
      meaningful = true;
    }
    const raw = candidate.finishReason;
    if (raw === 'CONTINUATION' && token) {
      // a hop of a long answer ends: not the answer's end (its usage is the hop's, reported here)
      endStreamedCall();
      metadata!.rawFinishReason = raw;
      finished = hopEnded = true;
    } else if (raw) {
      endStreamedCall();
      chunk.finishReason = mapGeminiFinishReason(raw, madeCall);
      metadata ??= {};
      metadata.rawFinishReason = raw;
      if (candidate.finishMessage) metadata.finishMessage = candidate.finishMessage;
      if (chunk.finishReason === 'content_filter' && candidate.safetyRatings) metadata.safetyRatings = candidate.safetyRatings;
      finished = true;
      meaningful = true;
    }
    return meaningful;
  };

  const isNew = (citation: Citation): boolean => {
    const span = citation.span;
    const key = span ? `${citationKey(citation)} ${span.start}-${span.end}` : citationKey(citation);
    if (cited.has(key)) return false;
    cited.add(key);
    return true;
  };

  /** A `functionCall` part; `signature` is the part's `thoughtSignature`, which goes back with the call. */
  const onFunctionCall = (call: GeminiWireFunctionCall, signature: string | undefined) => {
    if (call.name) {
      endStreamedCall();
      const index = nextIndex++;
      madeCall = true;
      const delta: ToolCallDelta = { index, id: call.id || generateGeminiToolCallId(id, index), name: call.name };
      if (signature) delta.thoughtSignature = signature;
      if (call.willContinue === true && !call.args) {
        // Vertex streamed arguments: the name now, the arguments when the call ends
        streamed = { index, args: new GeminiPartialArgs() };
        if (call.partialArgs) for (const piece of call.partialArgs) streamed.args.apply(piece);
      } else if (call.partialArgs && call.partialArgs.length > 0 && !call.args) {
        // Vertex: a whole call in one part, its arguments as pieces (no `willContinue`, no `args`)
        const args = new GeminiPartialArgs();
        for (const piece of call.partialArgs) args.apply(piece);
        delta.argumentsDelta = args.toJSON();
      } else {
        delta.argumentsDelta = JSON.stringify(call.args ?? {});
      }
      (toolCalls ??= []).push(delta);
      return;
    }
    if (!streamed) return; // a nameless fragment of no call: nothing to attach it to
    if (signature && !streamed.signature) streamed.signature = signature;
    if (call.partialArgs) for (const piece of call.partialArgs) streamed.args.apply(piece);
    // `{ partialArgs, willContinue: true }` continues the call; the empty `{}` (or a last piece) ends it
    if (call.willContinue !== true) endStreamedCall();
  };

  const endStreamedCall = () => {
    if (!streamed) return;
    const delta: ToolCallDelta = { index: streamed.index, argumentsDelta: streamed.args.toJSON() };
    if (streamed.signature) delta.thoughtSignature = streamed.signature;
    (toolCalls ??= []).push(delta);
    streamed = undefined;
  };

  return {
    onEvent({ data }: WireEvent) {
      if (data === '' || data === '[DONE]') return;
      onPayload(decodeWirePayload(GeminiWireResponse, data, provider));
    },
    onEnd() {
      if (!finished) {
        throw new StreamInterruptedError(`${provider}: the stream ended before a finish reason`, { provider, retryable: true });
      }
    },
    get done() {
      // the body's end is the end: an error may still follow a finish reason
      return false;
    },
  };
}

/** Candidate 0 (the only one unless `candidateCount` asks for more). */
function firstCandidate(candidates: GeminiWireCandidate[] | null | undefined): GeminiWireCandidate | undefined {
  if (!candidates || candidates.length === 0) return undefined;
  const first = candidates[0];
  if (first.index === 0 || first.index === undefined || first.index === null) return first;
  return candidates.find((c) => c.index === 0);
}
