import { rxllmTesting } from './builtPackage.mjs';

/** the mock model's seeded PRNG (mulberry32), so bodies are reproducible */
const { seededRandom } = rxllmTesting;

/**
 * The generated response bodies of the in-process throughput rows, shaped like the providers' real
 * streams (field order and extra fields as recorded), with text that includes multi-byte UTF-8
 * (accents, a dash, CJK, an emoji) so the 16 KiB cuts fall inside characters too. Deterministic:
 * the same count gives the same bytes.
 */

/** The size of each piece a stub delivers: 16 KiB, a typical socket read. */
export const PIECE_BYTES = 16 * 1024;

const WORDS = [
  'the', 'stream', 'of', 'tokens', 'arrives', 'as', 'small', 'deltas', 'and', 'each', 'one', 'is',
  'rendered', 'café', 'naïve', '—', 'latency', 'matters', 'more', 'than', 'throughput', 'for', 'a',
  'reader', '日本語', 'observable', 'chunk', '🙂', 'model', 'answer', 'continues', 'until', 'done',
];

/** `count` text deltas like a tokenizer's: a leading space, a word, now and then punctuation or a line break. */
export function tokens(count, seed = 7) {
  const random = seededRandom(seed);
  const out = new Array(count);
  for (let i = 0; i < count; i++) {
    const word = WORDS[Math.floor(random() * WORDS.length)];
    const r = random();
    out[i] = r < 0.06 ? `${word}.` : r < 0.08 ? `${word},\n` : r < 0.1 ? `"${word}"` : ` ${word}`;
  }
  return out;
}

/** Cuts `text` (UTF-8) into pieces of `size` bytes; the last one may be shorter. */
export function toPieces(text, size = PIECE_BYTES) {
  const bytes = Buffer.from(text, 'utf8');
  const pieces = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, Math.min(at + size, bytes.length)));
  return pieces;
}

/**
 * An OpenAI Chat Completions stream with `stream_options.include_usage`: a role chunk, `count`
 * content chunks, a finish chunk, the usage chunk and `[DONE]`.
 */
export function openaiBody(count) {
  const parts = tokens(count);
  const head = '{"id":"chatcmpl-BenchA1b2C3d4E5f6G7h8I9j0","object":"chat.completion.chunk","created":1750000000,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_34a54ae93c","choices":[';
  const frame = (choice, usage = 'null') => `data: ${head}${choice}],"usage":${usage},"obfuscation":"x1Y2z3"}\n\n`;
  const lines = [frame('{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}')];
  for (const p of parts) lines.push(frame(`{"index":0,"delta":{"content":${JSON.stringify(p)}},"logprobs":null,"finish_reason":null}`));
  lines.push(frame('{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}'));
  lines.push(
    `data: ${head}],"usage":{"prompt_tokens":12,"completion_tokens":${count},"total_tokens":${count + 12},"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"obfuscation":"q"}\n\n`,
  );
  lines.push('data: [DONE]\n\n');
  return { name: 'openai', contentType: 'text/event-stream; charset=utf-8', text: lines.join(''), expected: parts.join(''), events: lines.length };
}

/**
 * An Anthropic Messages stream: message_start, content_block_start, a ping, `count`
 * content_block_delta events, content_block_stop, message_delta, message_stop.
 */
export function anthropicBody(count) {
  const parts = tokens(count, 11);
  const ev = (name, data) => `event: ${name}\ndata: ${data}\n\n`;
  const lines = [
    ev('message_start', '{"type":"message_start","message":{"id":"msg_01BenchXyZ","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"service_tier":"standard"}}}'),
    ev('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'),
    ev('ping', '{"type": "ping"}'),
  ];
  for (const p of parts) lines.push(ev('content_block_delta', `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(p)}}}`));
  lines.push(ev('content_block_stop', '{"type":"content_block_stop","index":0}'));
  lines.push(ev('message_delta', `{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":${count}}}`));
  lines.push(ev('message_stop', '{"type":"message_stop"}'));
  return { name: 'anthropic', contentType: 'text/event-stream; charset=utf-8', text: lines.join(''), expected: parts.join(''), events: lines.length };
}

/** An Ollama `/api/chat` NDJSON stream: `count` content lines and the `done: true` line with timings. */
export function ollamaBody(count) {
  const parts = tokens(count, 13);
  const lines = [];
  for (let i = 0; i < count; i++) {
    const ns = String(100000000 + i * 12345).padStart(9, '0');
    lines.push(`{"model":"llama3.2","created_at":"2025-06-01T12:00:00.${ns}Z","message":{"role":"assistant","content":${JSON.stringify(parts[i])}},"done":false}\n`);
  }
  lines.push(
    `{"model":"llama3.2","created_at":"2025-06-01T12:00:30.5Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"total_duration":30512345678,"load_duration":2345678,"prompt_eval_count":12,"prompt_eval_duration":15000000,"eval_count":${count},"eval_duration":30000000000}\n`,
  );
  return { name: 'ollama', contentType: 'application/x-ndjson', text: lines.join(''), expected: parts.join(''), events: lines.length };
}
