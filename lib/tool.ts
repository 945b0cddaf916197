import type * as t from 'io-ts';
import type { ToolContext, ToolDefinition } from './types/toolDefinition';

/**
 * Declares a tool, its `execute` typed by its parameters' codec: `args` is what the codec decodes
 * (checked before `execute` runs; a mismatch goes back to the model as the call's error result).
 * With a JSON Schema, type the arguments yourself. Returns the definition as it is.
 *
 * @example
 * const getWeather = tool({
 *   name: 'get_weather',
 *   description: 'The weather in a city',
 *   parameters: t.type({ city: t.string }),
 *   execute: async ({ city }, { signal }) => (await fetch(`https://wttr.in/${city}?format=j1`, { signal })).json(),
 * });
 * streamChat$('openai', messages, { tools: [getWeather], maxSteps: 3 });
 */
export function tool<C extends t.Mixed>(definition: {
  name: string;
  description?: string;
  parameters: C;
  execute?: (args: t.TypeOf<C>, context: ToolContext) => unknown;
}): ToolDefinition<t.TypeOf<C>>;
export function tool<A = unknown>(definition: ToolDefinition<A>): ToolDefinition<A>;
export function tool(definition: ToolDefinition): ToolDefinition {
  return definition;
}
