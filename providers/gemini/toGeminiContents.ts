import { ConfigError } from '../../lib/errors/configError';
import { unsupportedPart } from '../../lib/errors/unsupportedPart';
import { messageText } from '../../lib/messageText';
import type { ChatMessage, ChatToolCall } from '../../lib/types/chatMessage';
import type { ContentPart } from '../../lib/types/contentPart';
import { isGeneratedGeminiToolCallId } from './geminiToolCallId';

/** A Gemini `Content`: a turn of `user` or `model` with its parts. */
export interface GeminiContent {
  role: 'user' | 'model';
  parts: Array<Record<string, unknown>>;
}

/**
 * `ChatMessage`s → the Gemini request's `contents` and `systemInstruction`:
 * - `system` messages become the parts of `systemInstruction` (Gemini has no system turn);
 * - `assistant` is the role `model`; its `toolCalls` become `functionCall` parts with the arguments
 *   as an object, each with the `thoughtSignature` it came with (`ToolCall.thoughtSignature` of the
 *   answer's `toResponse()`, kept on the call), as Gemini 3 requires;
 * - `tool` results become `functionResponse` parts of a `user` turn (consecutive results in one
 *   turn), named after the earlier call with that id; a JSON object result is sent as the
 *   `response`, anything else as `{ content: text }`.
 * Ids rxllm generated for calls that came without one are not sent back. Throws `ConfigError`
 * for a tool result that answers no earlier call, or call arguments that are not a JSON object.
 *
 * @example
 * toGeminiContents([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]);
 * // { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], systemInstruction: { parts: [{ text: 'Be brief.' }] } }
 */
export function toGeminiContents(messages: readonly ChatMessage[]): {
  contents: GeminiContent[];
  systemInstruction?: { parts: Array<{ text: string }> };
} {
  const contents: GeminiContent[] = [];
  const system: Array<{ text: string }> = [];
  let toolTurn: GeminiContent | undefined;

  messages.forEach((m, i) => {
    if (m.role !== 'tool') toolTurn = undefined;
    switch (m.role) {
      case 'system':
        if (messageText(m)) system.push({ text: messageText(m) });
        return;
      case 'user':
        if (Array.isArray(m.content)) contents.push({ role: 'user', parts: m.content.map((part, j) => geminiPart(part, `messages.${i}.content.${j}`)) });
        else if (m.content) contents.push({ role: 'user', parts: [{ text: m.content }] });
        return;
      case 'assistant': {
        const parts: Array<Record<string, unknown>> = [];
        if (messageText(m)) parts.push({ text: messageText(m) });
        m.toolCalls?.forEach((call, j) => parts.push(functionCallPart(call, `messages.${i}.toolCalls.${j}.arguments`)));
        if (parts.length > 0) contents.push({ role: 'model', parts });
        return;
      }
      case 'tool': {
        const part = functionResponsePart(messages, i);
        if (toolTurn) toolTurn.parts.push(part);
        else contents.push((toolTurn = { role: 'user', parts: [part] }));
        return;
      }
      default: {
        const never: never = m.role;
        return never;
      }
    }
  });
  return system.length > 0 ? { contents, systemInstruction: { parts: system } } : { contents };
}

function functionCallPart(call: ChatToolCall, path: string): Record<string, unknown> {
  const functionCall: Record<string, unknown> = { name: call.name, args: argumentsObject(call.arguments, path) };
  if (call.id && !isGeneratedGeminiToolCallId(call.id)) functionCall.id = call.id;
  const part: Record<string, unknown> = { functionCall };
  // Gemini 3 refuses a tool turn whose call comes back without the signature it came with
  if (call.thoughtSignature) part.thoughtSignature = call.thoughtSignature;
  return part;
}

function argumentsObject(args: unknown, path: string): Record<string, unknown> {
  let value = args;
  if (typeof args === 'string') {
    if (args.trim() === '') return {};
    try {
      value = JSON.parse(args);
    } catch {
      throw new ConfigError('messages', [{ path, expected: 'a JSON object (Gemini takes call arguments as an object)', got: short(args) }]);
    }
  }
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError('messages', [{ path, expected: 'a JSON object (Gemini takes call arguments as an object)', got: short(JSON.stringify(value)) }]);
  }
  return value as Record<string, unknown>;
}

function functionResponsePart(messages: readonly ChatMessage[], i: number): Record<string, unknown> {
  const m = messages[i];
  const callId = m.toolCallId;
  let name: string | undefined;
  if (callId !== undefined) {
    // the most recent assistant turn that made a call with this id
    for (let k = i - 1; k >= 0 && name === undefined; k--) {
      const earlier = messages[k];
      if (earlier.role === 'assistant') name = earlier.toolCalls?.find((c) => c.id === callId)?.name;
    }
  }
  name ??= m.name;
  if (name === undefined) {
    throw new ConfigError('messages', [
      {
        path: `messages.${i}.toolCallId`,
        expected: 'the id of a tool call in an earlier assistant message (Gemini names each function response), or a `name`',
        got: callId === undefined ? 'none' : short(JSON.stringify(callId)),
      },
    ]);
  }
  // Google's convention: the function's output, or under `error` what went wrong
  const functionResponse: Record<string, unknown> = { name, response: m.isError ? { error: messageText(m) } : responseObject(messageText(m)) };
  if (callId && !isGeneratedGeminiToolCallId(callId)) functionResponse.id = callId;
  return { functionResponse };
}

/**
 * A user's content part as a Gemini part: text; inline bytes as `inlineData` (`mimeType`, base64
 * `data`); a URL as `fileData` (`fileUri`, `mimeType`), which needs the part's media type.
 */
function geminiPart(part: ContentPart, path: string): Record<string, unknown> {
  if (part.type === 'text') return { text: part.text };
  if ('data' in part) return { inlineData: { mimeType: part.mediaType, data: part.data } };
  if (part.mediaType === undefined) throw unsupportedPart('gemini', path, part, 'text, images and files as base64 data, or by URL with their mediaType');
  return { fileData: { mimeType: part.mediaType, fileUri: part.url } };
}

function responseObject(content: string | null): Record<string, unknown> {
  if (content) {
    const first = content.trimStart()[0];
    if (first === '{') {
      try {
        const value: unknown = JSON.parse(content);
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
      } catch {
        // not JSON: sent as text
      }
    }
  }
  return { content: content ?? '' };
}

const short = (s: string) => (s.length > 60 ? `${s.slice(0, 59)}…` : s);
