import type { ProviderId } from '../../lib';

/** A tool result as a request sent it, read back from the API's own form. */
export interface SentResult {
  /** the call it answers (Gemini sends no id for a call id it generated: then the function's name) */
  answers: string;
  content: string;
  /** how the API was told the tool failed: Anthropic's `is_error`, Gemini's `error` key; `undefined` where the API has no such mark */
  isError?: boolean;
}

type Body = Record<string, any>;

const text = (content: unknown): string =>
  typeof content === 'string' ? content : Array.isArray(content) ? content.map((part: { text?: string }) => part.text ?? '').join('') : '';

/**
 * The tool results a request body carries, in order, read as each API takes them: `tool` messages
 * (Chat Completions, Mistral, LM Studio, Ollama), `tool_result` blocks (Anthropic),
 * `functionResponse` parts (Gemini), `function_call_output` items (Responses API).
 */
export function toolResultsSent(id: ProviderId, body: Body): SentResult[] {
  switch (id) {
    case 'anthropic':
      return (body.messages as Body[])
        .flatMap((m) => (Array.isArray(m.content) ? (m.content as Body[]) : []))
        .filter((block) => block.type === 'tool_result')
        .map((block) => ({ answers: block.tool_use_id, content: text(block.content), isError: block.is_error }));
    case 'gemini':
      return (body.contents as Body[])
        .flatMap((c) => c.parts as Body[])
        .filter((part) => part.functionResponse)
        .map(({ functionResponse: { id, name, response } }) =>
          'error' in response
            ? { answers: id ?? name, content: response.error, isError: true }
            : { answers: id ?? name, content: Object.keys(response).length === 1 && typeof response.content === 'string' ? response.content : JSON.stringify(response) },
        );
    case 'openai-responses':
    case 'azure-responses':
      return (body.input as Body[]).filter((item) => item.type === 'function_call_output').map((item) => ({ answers: item.call_id, content: item.output }));
    default:
      return (body.messages as Body[]).filter((m) => m.role === 'tool').map((m) => ({ answers: m.tool_call_id, content: text(m.content) }));
  }
}
