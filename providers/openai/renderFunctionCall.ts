/**
 * A tool call as a reader would write it: `name(key: value, …)` with each value as JSON, for
 * arguments that are an object; `name(<json>)` for any other value; `name()` for none; and
 * `name(<invalid arguments>)` when the arguments did not parse (`undefined`).
 *
 * @example
 * renderFunctionCall('get_weather', { city: 'Paris', days: 3 }); // 'get_weather(city: "Paris", days: 3)'
 * renderFunctionCall('now', {}); // 'now()'
 */
export function renderFunctionCall(name: string, args: unknown): string {
  if (args === undefined) return `${name}(<invalid arguments>)`;
  if (args !== null && typeof args === 'object' && !Array.isArray(args)) {
    const parts = Object.entries(args as Record<string, unknown>).map(([key, value]) => `${key}: ${JSON.stringify(value) ?? 'undefined'}`);
    return `${name}(${parts.join(', ')})`;
  }
  return `${name}(${JSON.stringify(args)})`;
}
