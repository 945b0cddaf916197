import * as t from 'io-ts';
import { fn, NonEmptyString } from '../codec/readable';
import { Codec, JsonSchemaObject } from './schemaCodecs';
import type { ChatMessage } from './chatMessage';

/** What a tool's `execute` gets beside its arguments. */
export interface ToolContext {
  /** aborts when the run is cancelled (unsubscribed, the caller's `signal`, an error elsewhere): stop the work and free what it holds */
  signal: AbortSignal;
  /** the id of the call being answered */
  toolCallId: string;
  /** the step (0, 1, …) whose answer made the call */
  step: number;
  /** the conversation up to and including the assistant turn that made the call */
  messages: readonly ChatMessage[];
}

/**
 * A function the model may call. `parameters` is a JSON Schema object, sent as is, or an io-ts
 * codec, whose JSON Schema rxllm derives and sends (see `jsonSchemaOf`).
 *
 * With `execute`, the tool runs itself: when the model calls it, its arguments are checked against
 * `parameters` (decoded by the codec, or checked against the JSON Schema), then `execute(args,
 * { signal, … })` runs — returning a value, a Promise or an Observable (its last value) — and its
 * result goes back to the model in the next step (`maxSteps`; see docs/tools.md). Arguments that
 * fail the check, and a tool that throws, send the model an error result instead; the run goes on.
 *
 * @example
 * const getWeather: ToolDefinition = {
 *   name: 'get_weather',
 *   description: 'Current weather for a city',
 *   parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
 * };
 * @see tool to declare one whose `execute` is typed by its codec
 */
export interface ToolDefinition<A = any> {
  name: string;
  description?: string;
  /** a JSON Schema object, or an io-ts codec of the arguments */
  parameters?: Record<string, unknown> | t.Type<A, any, unknown>;
  /** runs the tool: a value (a string is sent as it is, anything else as JSON), a Promise of one, or an Observable (its last value) */
  execute?: (args: A, context: ToolContext) => unknown;
}

/** The codec of `ToolDefinition` (checked against the interface). */
export const ToolDefinition: t.Type<ToolDefinition> = t.intersection([
  t.type({ name: NonEmptyString }),
  t.partial({
    description: t.string,
    parameters: t.union([Codec, JsonSchemaObject], 'a JSON Schema object or an io-ts codec'),
    execute: fn<(args: any, context: ToolContext) => unknown>('a function (args, { signal }) => value, Promise or Observable'),
  }),
]);

/** A tool as the providers send it: its parameters as JSON Schema (a codec's derived one), without `execute`. */
export interface RequestTool {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}
