import * as t from 'io-ts';
import { NonEmptyString } from '../codec/readable';

/**
 * A function the model may call. `parameters` is a JSON Schema object, sent as is.
 *
 * @example
 * const getWeather: ToolDefinition = {
 *   name: 'get_weather',
 *   description: 'Current weather for a city',
 *   parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
 * };
 */
export const ToolDefinition = t.intersection([
  t.type({ name: NonEmptyString }),
  t.partial({ description: t.string, parameters: t.record(t.string, t.unknown) }),
]);
export type ToolDefinition = t.TypeOf<typeof ToolDefinition>;
