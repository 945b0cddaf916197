import * as t from 'io-ts';
import { specializeGuard } from '../../lib/codec/compileGuard';
import { nullable } from '../../lib/codec/readable';
import { isOllamaWireLine } from './isOllamaWireLine';

/**
 * One line of an Ollama `/api/chat` stream (Go's `api.ChatResponse`), leniently: every field may
 * be absent (Go's `omitempty` drops zeros and empty strings) or null, unknown fields are kept. Only
 * what the mapper reads is described. An `{"error": …}` line has none of the other fields.
 */
export const OllamaWireToolCall = t.partial({
  /** `call_<8 chars>` on servers since late 2025; absent on older ones */
  id: nullable(t.string),
  function: nullable(
    t.partial({
      index: nullable(t.number),
      name: nullable(t.string),
      /** a JSON object (not a string); a string is accepted as already-serialized text */
      arguments: t.unknown,
    }),
  ),
});
export type OllamaWireToolCall = t.TypeOf<typeof OllamaWireToolCall>;

export const OllamaWireMessage = t.partial({
  role: nullable(t.string),
  content: nullable(t.string),
  thinking: nullable(t.string),
  tool_calls: nullable(t.array(OllamaWireToolCall)),
});
export type OllamaWireMessage = t.TypeOf<typeof OllamaWireMessage>;

const count = nullable(t.number);

export const OllamaWireLine = specializeGuard(
  t.partial({
    model: nullable(t.string),
    message: nullable(OllamaWireMessage),
    done: nullable(t.boolean),
    /** only on the final line: `stop`, `length`, `load`, `unload` */
    done_reason: nullable(t.string),
    /** nanoseconds */
    total_duration: count,
    load_duration: count,
    prompt_eval_duration: count,
    eval_duration: count,
    /** input tokens (absent when 0, e.g. a cached prompt) */
    prompt_eval_count: count,
    /** output tokens, thinking included */
    eval_count: count,
    /** an error inside a 200 stream: `{"error":"…"}` */
    error: t.unknown,
  }),
  isOllamaWireLine,
);
export type OllamaWireLine = t.TypeOf<typeof OllamaWireLine>;
