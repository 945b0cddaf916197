import * as t from 'io-ts';
import { refined } from '../codec/readable';
import { Codec, JsonSchemaObject } from './schemaCodecs';

/** The name OpenAI, Mistral, Perplexity and LM Studio give a response format: 1 to 64 of a-z A-Z 0-9 _ -. */
export const OutputName = refined(t.string, 'a name of 1 to 64 letters, digits, _ or -', (s) => /^[A-Za-z0-9_-]{1,64}$/.test(s));

/**
 * The `output` option: the answer as JSON of a declared shape, sent as each API asks for it (see
 * docs/structured_output.md).
 * - `schema`: an io-ts codec, whose JSON Schema rxllm derives (see `jsonSchemaOf`), or a JSON Schema
 *   sent as it is (then `codec` may give the codec the answer is decoded with);
 * - `name` (default `'response'`) and `description`: the format's name and description, where the API
 *   takes them (OpenAI, Responses, Mistral, Perplexity, LM Studio);
 * - `strict` (default true): OpenAI's and Mistral's strict mode; under it, a codec's optional keys
 *   are sent required and nullable (see `jsonSchemaOf`).
 *
 * @example
 * streamChat$('openai', messages, { output: { schema: t.type({ city: t.string, celsius: t.number }) } });
 */
export const OutputOption = t.intersection(
  [
    t.type({ schema: t.union([Codec, JsonSchemaObject]) }),
    t.partial({ codec: Codec, name: OutputName, description: t.string, strict: t.boolean }),
  ],
  'an output option { schema: a codec or a JSON Schema, codec?, name?, description?, strict? }',
);
export type OutputOption = t.TypeOf<typeof OutputOption>;
