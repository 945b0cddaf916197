import type { MockTurn } from '../mockModel';
import { tokenize } from '../mockModel';
import { textPieces } from '../textPieces';
import type { FramedStream } from '../route';
import { brokenJson } from './brokenJson';
import { OLLAMA_ERROR_LINE } from './ollamaFaults';

export interface OllamaWireTurn {
  turn: MockTurn;
  /** the model name to report */
  model: string;
  /** `options.num_predict`: the most tokens to generate; the answer is cut there with `done_reason: "length"` */
  numPredict?: number;
}

/**
 * Serializes like Go's `encoding/json`, as the Ollama server does: compact, and `<`, `>`, `&`,
 * U+2028 and U+2029 escaped as `\u003c`, `\u003e`, `\u0026`, `\u2028`, `\u2029`. (Those characters
 * only occur inside strings of `JSON.stringify`'s output, so replacing them there is safe.)
 */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** 2025-06-01T12:00:00Z: the mock's clock starts here, so the same request gives the same bytes. */
const START_SECONDS = Date.UTC(2025, 5, 1, 12, 0, 0) / 1000;
/** the mock's speeds: 50 tokens/s generating, 800 tokens/s reading the prompt */
const EVAL_NS_PER_TOKEN = 20_000_000;
const PROMPT_NS_PER_TOKEN = 1_250_000;
const LOAD_NS = 2_345_678;
const OVERHEAD_NS = 1_234_567;

/** Go's RFC 3339 with nanoseconds: the fraction without trailing zeros, none at all when zero. */
function createdAt(ns: number): string {
  const seconds = START_SECONDS + Math.floor(ns / 1e9);
  const date = new Date(seconds * 1000).toISOString().slice(0, 19);
  const fraction = String(ns % 1e9).padStart(9, '0').replace(/0+$/, '');
  return `${date}${fraction ? `.${fraction}` : ''}Z`;
}

interface Plan {
  thinking: string[];
  content: string[];
  toolCalls: MockTurn['toolCalls'];
  doneReason: 'stop' | 'length';
  evalCount: number;
}

/** What the model gets to say within `num_predict` tokens: thinking first, then text or tool calls. */
function plan({ turn, numPredict }: OllamaWireTurn): Plan {
  let budget = numPredict !== undefined && numPredict > 0 ? numPredict : Infinity;
  const take = (tokens: string[]) => {
    const kept = tokens.slice(0, Math.max(0, Math.min(tokens.length, budget)));
    budget -= kept.length;
    return { kept, cut: kept.length < tokens.length };
  };
  const thinking = take(tokenize(turn.reasoning));
  const content = take(textPieces(turn));
  let cut = thinking.cut || content.cut;
  const toolCalls: MockTurn['toolCalls'] = [];
  let toolTokens = 0;
  for (const call of turn.toolCalls) {
    const cost = Math.ceil(call.arguments.length / 4);
    if (cut || cost > budget) {
      cut = true;
      break;
    }
    budget -= cost;
    toolTokens += cost;
    toolCalls.push(call);
  }
  return {
    thinking: thinking.kept,
    content: content.kept,
    toolCalls,
    doneReason: cut ? 'length' : 'stop',
    evalCount: thinking.kept.length + content.kept.length + toolTokens,
  };
}

/** Ollama's final metrics, in its key order; a zero is left out (Go `omitempty`). */
function metrics(inputTokens: number, evalCount: number): Record<string, number> {
  const promptNs = inputTokens * PROMPT_NS_PER_TOKEN;
  const evalNs = evalCount * EVAL_NS_PER_TOKEN;
  const all: Record<string, number> = {
    total_duration: LOAD_NS + promptNs + evalNs + OVERHEAD_NS,
    load_duration: LOAD_NS,
    prompt_eval_count: inputTokens,
    prompt_eval_duration: promptNs,
    eval_count: evalCount,
    eval_duration: evalNs,
  };
  for (const key of Object.keys(all)) if (all[key] === 0) delete all[key];
  return all;
}

/** `{ id, function: { index, name, arguments } }`, the arguments as an object, as Ollama sends them. */
const wireToolCalls = (calls: MockTurn['toolCalls']) =>
  calls.map((call, index) => ({ id: call.id, function: { index, name: call.name, arguments: JSON.parse(call.arguments) as unknown } }));

/**
 * The lines of an Ollama `/api/chat` stream for `turn`, written from Ollama's API docs and
 * `api/types.go`, independently of the client's parser: one line per thinking token
 * (`content: ""`), one per text token, all tool calls complete in one line, then the `done: true`
 * line with `done_reason` (`stop`, also after tool calls; `length` when `num_predict` cut the
 * answer), the token counts and the nanosecond durations. Each line ends with `\n`. Every line
 * but the `done` one carries the answer.
 */
export function ollamaLines(wire: OllamaWireTurn): FramedStream {
  const { model, turn } = wire;
  const p = plan(wire);
  const startNs = LOAD_NS + turn.inputTokens * PROMPT_NS_PER_TOKEN;
  let n = 0;
  const payload = (message: Record<string, unknown>, extra?: Record<string, unknown>) =>
    goJson({ model, created_at: createdAt(startNs + ++n * EVAL_NS_PER_TOKEN), message: { role: 'assistant', ...message }, done: false, ...extra });
  const line = (message: Record<string, unknown>, extra?: Record<string, unknown>) => `${payload(message, extra)}\n`;

  const lines: string[] = [];
  for (const token of p.thinking) lines.push(line({ content: '', thinking: token }));
  for (const token of p.content) lines.push(line({ content: token }));
  if (p.toolCalls.length > 0) lines.push(line({ content: '', tool_calls: wireToolCalls(p.toolCalls) }));
  lines.push(line({ content: '' }, { done: true, done_reason: p.doneReason, ...metrics(turn.inputTokens, p.evalCount) }));
  return ollamaStream(lines, `${brokenJson(payload({ content: 'malformed' }))}\n`);
}

/** Lines whose last one is the `done` line, with what fault injection needs to know of them. */
function ollamaStream(lines: string[], malformedFrame: string): FramedStream {
  return { stream: lines, contentFrames: lines.slice(0, -1).map((_, i) => i), terminalFrames: 1, errorFrame: OLLAMA_ERROR_LINE, malformedFrame };
}

/** The whole answer as one object, for `stream: false`. */
export function ollamaResponse(wire: OllamaWireTurn): Record<string, unknown> {
  const p = plan(wire);
  const message: Record<string, unknown> = { role: 'assistant', content: p.content.join('') };
  if (p.thinking.length > 0) message.thinking = p.thinking.join('');
  if (p.toolCalls.length > 0) message.tool_calls = wireToolCalls(p.toolCalls);
  const startNs = LOAD_NS + wire.turn.inputTokens * PROMPT_NS_PER_TOKEN;
  return {
    model: wire.model,
    created_at: createdAt(startNs + (p.evalCount + 1) * EVAL_NS_PER_TOKEN),
    message,
    done: true,
    done_reason: p.doneReason,
    ...metrics(wire.turn.inputTokens, p.evalCount),
  };
}

/**
 * The answer to a request with no messages: Ollama only loads the model (or unloads it, with
 * `keep_alive: 0`) and answers with one `done` line.
 */
export function ollamaLoadResponse(model: string, reason: 'load' | 'unload'): Record<string, unknown> {
  return { model, created_at: createdAt(LOAD_NS), message: { role: 'assistant', content: '' }, done: true, done_reason: reason };
}

/** `ollamaLoadResponse` streamed: its one `done` line. */
export function ollamaLoadLines(model: string, reason: 'load' | 'unload'): FramedStream {
  const broken = brokenJson(goJson({ model, created_at: createdAt(LOAD_NS), message: { role: 'assistant', content: 'malformed' }, done: false }));
  return ollamaStream([`${goJson(ollamaLoadResponse(model, reason))}\n`], `${broken}\n`);
}
