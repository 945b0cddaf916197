/** A function tool as the `openai` package declares it for the Responses API (flat, `strict` off), which the mock model calls when a prompt names it. */
export const RESPONSES_WEATHER = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};
