/**
 * The mock server's deterministic model. Its answer is a pure function of the conversation, so a
 * test can compute what any request must stream, and a request can be repeated to get the same
 * bytes. It knows nothing of any wire format.
 */

import { withCitationMarkers } from './mockCitationMarkers';
import { asksForCode, codeAnswer } from './mockCodeAnswer';

export interface MockMessage {
  role: string;
  content: string;
}

export interface MockTool {
  name: string;
  parameters?: { properties?: Record<string, { type?: string }>; required?: string[] };
}

export interface MockToolCall {
  id: string;
  name: string;
  /** the arguments as JSON text */
  arguments: string;
}

/** One answer of the mock model, as every wire writes it. */
export interface MockTurn {
  text: string;
  reasoning: string;
  toolCalls: MockToolCall[];
  /**
   * `null` for an answer that breaks off (a `cut` fault, see `cutTurn`): the wires then put all of
   * its text in content frames, and nothing that ends the answer is sent
   */
  finishReason: 'stop' | 'tool_calls' | null;
  inputTokens: number;
  /**
   * where the text's content deltas end, in UTF-16 code units of `text` (header `x-mock-split`, see
   * `textPieces`); absent: one delta per word
   */
  split?: readonly number[];
}

const SENTENCES = [
  'Streaming lets a chat UI show the first words while the model is still writing the rest.',
  'People judge speed by the time to the first token, not by the time to the last one.',
  'A stream can be cancelled halfway — the server stops generating and nobody pays for unread tokens.',
  'Long answers arrive as many small deltas, and each one is rendered as soon as it lands.',
  'Because the answer grows in place, the reader’s eyes can follow it instead of waiting on a spinner.',
  'Tool calls stream too: their arguments come in fragments that only form valid JSON at the end.',
  'When a connection drops, a good client continues the answer rather than starting again.',
  'Metrics such as tokens per second tell you whether the provider or your own code is the bottleneck.',
  'Observables fit this shape well: many values over time, an end, an error, and cancellation by unsubscribing.',
  'Backpressure is rarely needed for text, but buffering a few chunks keeps a busy UI smooth.',
];

const THOUGHTS = [
  'The user wants a short explanation.',
  'I should mention latency first, then cancellation.',
  'Keep it concrete and avoid jargon.',
];

/** FNV-1a, so the choice of sentences depends on every character of the prompt. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A small seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const countWords = (text: string) => (text.match(/\S+/g) ?? []).length;

/** What a request costs in input tokens: the words of every message, plus 4 per message. */
const inputTokensOf = (messages: readonly MockMessage[]) => messages.reduce((n, m) => n + countWords(m.content) + 4, 0);

/** What the model's options are: the tools offered, whether it thinks, how many sentences it writes. */
export interface MockAnswerOptions {
  /**
   * the answer, exactly (white space and all): no tool calls, finish `stop`, reasoning when `thinking`
   * is asked for; a continuation request gets the rest of it (header `x-mock-answer`, see `answerHeaders`)
   */
  text?: string;
  tools?: readonly MockTool[];
  thinking?: boolean;
  sentences?: number;
  /** a degenerate answer, for quality checks: the first sentence, then one sentence this many times over */
  repeat?: number;
  /** cite this many sources with `[n]` markers after the sentences (Perplexity; see `withCitationMarkers`) */
  citations?: number;
  /**
   * cut the answer's text into content deltas at these offsets (UTF-16 code units of the whole
   * answer), instead of word by word: every wire streams exactly these pieces (header `x-mock-split`,
   * see `textPieces`); a continuation keeps the points past its start
   */
  split?: readonly number[];
  /**
   * the request asks for structured output: the answer is the JSON text this gives for the prompt (the
   * last user message; see `structuredText`), unless the prompt calls a tool first; after a tool result
   * too. `text` still wins
   */
  structured?: (prompt: string) => string;
}

/**
 * What the model answers to `messages`:
 * - a continuation request (see `continuationOf`) gets exactly the rest of the answer it continues;
 * - given a `text`, that text;
 * - when tools are offered and the last user message plans calls of them (see `toolPlanOf`: the tools
 *   it names, step by step at each "then", or the first tool when it asks to "use a tool"): the calls
 *   of the first step, or — after a tool result (`role: 'tool'`) — of the next step not yet answered
 *   (see `stepsDone`), several calls of one step in one answer (finish `tool_calls`, ids from `toolCallsOf`);
 * - when the request asks for structured output (`structured`), that JSON text (also once the plan's
 *   calls are answered);
 * - once they are, after a tool result, a sentence that reports the last step's results (see `reportOf`);
 * - when the last user message asks for code ("code", "snippet"), fenced code blocks (see `codeAnswer`);
 * - otherwise a few sentences chosen by a hash of the prompt (`sentences` of them, default 3 to 5),
 *   with `reasoning` when `thinking` is asked for, and `[n]` markers when `citations` are.
 *
 * With `split`, the turn carries those points, and the wires cut its text there (see `textPieces`).
 *
 * @example
 * answerFor([{ role: 'user', content: 'Why stream?' }], { sentences: 2 }).text; // two sentences, always the same two
 * const tools = [{ name: 'get_weather' }, { name: 'get_time' }, { name: 'get_forecast' }];
 * answerFor([{ role: 'user', content: 'Use get_weather and get_time for Oslo, then get_forecast' }], { tools }).toolCalls.map((c) => c.name);
 * // ['get_weather', 'get_time']; after their two results, ['get_forecast']; after its result, 'The tool answered: …'
 */
export function answerFor(messages: readonly MockMessage[], options: MockAnswerOptions = {}): MockTurn {
  const continued = continuationOf(messages, options);
  if (continued) return continued;
  const turn = freshAnswer(messages, options);
  return options.split === undefined ? turn : { ...turn, split: options.split };
}

/** A user message that asks to continue the assistant turn before it ("Continue your previous answer exactly …"). */
const CONTINUE = /^Continue\b/;

/**
 * The rest of an interrupted answer, when `messages` ask for one; otherwise `undefined`. A client
 * asks in one of two forms:
 * - prefill (Anthropic): the conversation ends with an assistant turn whose text is a prefix of the
 *   answer to the messages before it — possibly with its trailing white space trimmed, since
 *   Anthropic refuses a prefill that ends in white space;
 * - instruction (every other API): such an assistant turn, then a user message that starts with
 *   "Continue".
 *
 * The continuation is the rest of that answer's text (from the first character the assistant turn
 * lacks, trimmed white space included), then the answer's tool calls and finish reason — so the
 * prefix and the continuation join into the original byte for byte. It has no reasoning, and its
 * `inputTokens` count the whole continuation request. An assistant turn that is not a prefix of the
 * answer is ordinary history: `undefined`. A continuation of a continuation works the same way.
 *
 * @example
 * const question = [{ role: 'user', content: 'Why stream?' }];
 * const { text } = answerFor(question);
 * continuationOf([...question, { role: 'assistant', content: text.slice(0, 10) }])?.text === text.slice(10); // true
 */
export function continuationOf(messages: readonly MockMessage[], options: MockAnswerOptions = {}): MockTurn | undefined {
  const continued = continuedTurnOf(messages, options);
  if (!continued) return undefined;
  const { original, at } = continued;
  const from = messages[at].content.length;
  const turn: MockTurn = {
    text: original.text.slice(from),
    reasoning: '',
    toolCalls: original.toolCalls,
    finishReason: original.finishReason,
    inputTokens: inputTokensOf(messages),
  };
  const split = splitFrom(original.split, from);
  return split === undefined ? turn : { ...turn, split };
}

/**
 * A turn's `split` for the part of its text from `from` on (a continuation, a Gemini hop): the points
 * after `from`, counted from there; `undefined` stays `undefined`.
 *
 * @example
 * splitFrom([3, 10, 25], 10); // [15]
 */
export function splitFrom(split: readonly number[] | undefined, from: number): number[] | undefined {
  return split?.filter((point) => point > from).map((point) => point - from);
}

/**
 * The user message an answer to `messages` responds to: the last user message or, for a
 * continuation request, the one the continued answer responds to — so what a route derives from the
 * prompt (Perplexity's sources) stays the same across a resumed answer.
 *
 * @example
 * promptOf([{ role: 'user', content: 'Hi' }, { role: 'assistant', content: '' }, { role: 'user', content: 'Continue.' }]); // 'Hi'
 */
export function promptOf(messages: readonly MockMessage[], options: MockAnswerOptions = {}): string {
  const continued = continuedTurnOf(messages, options);
  if (continued) return promptOf(messages.slice(0, continued.at), options);
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') return messages[i].content;
  return '';
}

/** The assistant turn `messages` ask to continue (its index) and the answer it began, when they are a continuation request. */
function continuedTurnOf(messages: readonly MockMessage[], options: MockAnswerOptions): { at: number; original: MockTurn } | undefined {
  const n = messages.length;
  const last = messages[n - 1];
  let at: number;
  if (last?.role === 'assistant') at = n - 1;
  else if (last?.role === 'user' && CONTINUE.test(last.content) && messages[n - 2]?.role === 'assistant') at = n - 2;
  else return undefined;
  const original = answerFor(messages.slice(0, at), options);
  return original.text.startsWith(messages[at].content) ? { at, original } : undefined;
}

function freshAnswer(messages: readonly MockMessage[], options: MockAnswerOptions): MockTurn {
  const inputTokens = inputTokensOf(messages);
  const last = messages[messages.length - 1];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const prompt = lastUser?.content ?? '';
  const random = seededRandom(hashText(prompt));
  const reasoning = options.thinking ? THOUGHTS.join(' ') : '';

  if (options.text !== undefined) return { text: options.text, reasoning, toolCalls: [], finishReason: 'stop', inputTokens };

  // the calls still to make: the plan's first step, or after a tool result the next one not yet answered
  const plan = toolPlanOf(prompt, options.tools ?? []);
  const step = last?.role === 'tool' ? stepsDone(messages) : 0;
  if (step < plan.length) return { text: '', reasoning, toolCalls: toolCallsOf(plan, step, prompt), finishReason: 'tool_calls', inputTokens };

  const structured = options.structured?.(prompt);
  if (structured !== undefined) return { text: structured, reasoning, toolCalls: [], finishReason: 'stop', inputTokens };
  if (last?.role === 'tool') return { text: reportOf(lastToolResults(messages)), reasoning, toolCalls: [], finishReason: 'stop', inputTokens };

  if (asksForCode(prompt)) return { text: codeAnswer(prompt), reasoning, toolCalls: [], finishReason: 'stop', inputTokens };

  const count = options.sentences ?? 3 + Math.floor(random() * 3);
  const picked: string[] = [];
  let at = Math.floor(random() * SENTENCES.length);
  for (let i = 0; i < count; i++) {
    picked.push(SENTENCES[at % SENTENCES.length]);
    at += 1 + Math.floor(random() * 2);
  }
  if (options.repeat) {
    // a model stuck in a loop: the same sentence over and over
    const loop = new Array<string>(options.repeat).fill(SENTENCES[at % SENTENCES.length]);
    return { text: [...picked.slice(0, 1), ...loop].join(' '), reasoning, toolCalls: [], finishReason: 'stop', inputTokens };
  }
  const text = options.citations ? withCitationMarkers(picked, options.citations) : picked.join(' ');
  return { text, reasoning, toolCalls: [], finishReason: 'stop', inputTokens };
}

/**
 * The tool calls a prompt plans, step by step: the prompt is cut at each word "then" (any case), and
 * each piece's step is the offered tools it names (by name, any case), in the order of their first
 * mention there; a piece that names none is no step. A prompt that names no tool but asks to "use" or
 * "call" a "tool" plans one call of the first tool; any other prompt, none.
 *
 * @example
 * const tools = [{ name: 'get_time' }, { name: 'get_weather' }, { name: 'get_forecast' }];
 * toolPlanOf('Use get_weather and get_time for Oslo, then get_forecast', tools).map((step) => step.map((t) => t.name));
 * // [['get_weather', 'get_time'], ['get_forecast']]
 * toolPlanOf('Call a tool, please', tools).map((step) => step.map((t) => t.name)); // [['get_time']]
 */
export function toolPlanOf(prompt: string, tools: readonly MockTool[]): MockTool[][] {
  if (tools.length === 0) return [];
  const steps = prompt
    .split(/\bthen\b/i)
    .map((piece) => toolsNamedIn(piece, tools))
    .filter((step) => step.length > 0);
  if (steps.length > 0) return steps;
  return /\b(use|call)\b.*\btool\b/.test(prompt.toLowerCase()) ? [[tools[0]]] : [];
}

/** The tools `text` names, in the order of their first mention (tools named at the same place in the order offered). */
function toolsNamedIn(text: string, tools: readonly MockTool[]): MockTool[] {
  const lower = text.toLowerCase();
  return tools
    .map((tool) => ({ tool, at: lower.indexOf(tool.name.toLowerCase()) }))
    .filter(({ at }) => at >= 0)
    .sort((a, b) => a.at - b.at)
    .map(({ tool }) => tool);
}

/**
 * How many steps of tool calls a conversation has answered: the runs of consecutive `tool` messages
 * after the last `user` message (each step's results follow the assistant turn that made its calls).
 *
 * @example
 * stepsDone([{ role: 'user', content: 'A, then B' }, { role: 'assistant', content: '' }, { role: 'tool', content: '1' }]); // 1
 */
export function stepsDone(messages: readonly MockMessage[]): number {
  let runs = 0;
  for (let i = messages.length - 1; i >= 0 && messages[i].role !== 'user'; i--) {
    if (messages[i].role === 'tool' && messages[i + 1]?.role !== 'tool') runs++;
  }
  return runs;
}

/**
 * The calls of step `step` of `plan`, their arguments taken from the whole prompt (see `argumentsFor`).
 * Each id is unique in the conversation: the first call of the first step keeps the mock's original id,
 * `call_` + the base-36 hash of the prompt and the tool's name (recorded expectations depend on it);
 * any other call's hash also takes its step and its place in it.
 */
export function toolCallsOf(plan: readonly MockTool[][], step: number, prompt: string): MockToolCall[] {
  return plan[step].map((tool, position) => {
    const seed = step === 0 && position === 0 ? prompt + tool.name : `${prompt}\u0000${step}.${position}\u0000${tool.name}`;
    return { id: `call_${hashText(seed).toString(36)}`, name: tool.name, arguments: JSON.stringify(argumentsFor(tool, prompt)) };
  });
}

/** The tool results the conversation ends with (its last run of `tool` messages). */
function lastToolResults(messages: readonly MockMessage[]): MockMessage[] {
  let start = messages.length;
  while (start > 0 && messages[start - 1].role === 'tool') start--;
  return messages.slice(start);
}

/**
 * The sentence that reports a step's tool results: `The tool answered: <result>` for one,
 * `The tools answered: <first> | <second> | …` for several.
 *
 * @example
 * reportOf([{ role: 'tool', content: '{"celsius":-3}' }, { role: 'tool', content: '17:05' }]); // 'The tools answered: {"celsius":-3} | 17:05'
 */
export function reportOf(results: readonly MockMessage[]): string {
  if (results.length === 1) return `The tool answered: ${results[0].content}`;
  return `The tools answered: ${results.map((result) => result.content).join(' | ')}`;
}

/**
 * A call's arguments, from the prompt by the types of the tool's parameters: a number or an integer
 * the prompt's numbers in order (1 when it runs out), a boolean `true`, anything else the prompt's
 * capitalized words from the last (the parameter's name when it runs out). Every call of a prompt
 * takes its arguments from the whole prompt, whatever step it belongs to.
 *
 * @example
 * argumentsFor({ name: 'get_weather', parameters: { properties: { city: { type: 'string' } } } }, 'Use get_weather for Oslo'); // { city: 'Oslo' }
 */
function argumentsFor(tool: MockTool, prompt: string): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const properties = tool.parameters?.properties ?? {};
  const words = prompt.match(/[A-Z][\p{L}-]+/gu) ?? [];
  const numbers = prompt.match(/-?\d+(?:\.\d+)?/g) ?? [];
  let w = words.length - 1;
  let n = 0;
  for (const [name, schema] of Object.entries(properties)) {
    if (schema.type === 'number' || schema.type === 'integer') args[name] = Number(numbers[n++] ?? 1);
    else if (schema.type === 'boolean') args[name] = true;
    else args[name] = words[w--] ?? name;
  }
  return args;
}

/**
 * Cuts text into the pieces a model would stream: each word with the white space before it (spaces,
 * tabs, line ends, blank lines), and the white space at the very end as a piece of its own, so that
 * joining the pieces gives the text back exactly, whatever its white space.
 *
 * @example
 * tokenize('  def f():\n\tpass \n'); // ['  def', ' f():', '\n\tpass', ' \n']
 */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}
