import * as t from 'io-ts';

/** An io-ts codec, checked by shape (`decode`, `is`, `encode`), so that a codec of another io-ts copy passes. */
export const isCodec = (u: unknown): u is t.Mixed =>
  typeof u === 'object' && u !== null && typeof (u as t.Mixed).decode === 'function' && typeof (u as t.Mixed).is === 'function' && typeof (u as t.Mixed).encode === 'function';

/** An io-ts codec given as an option (an output's schema, a tool's parameters). */
export const Codec = new t.Type<t.Mixed, t.Mixed, unknown>(
  'an io-ts codec',
  isCodec,
  (u, c) => (isCodec(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** A JSON Schema object (a plain object that is not a codec). */
const isJsonSchema = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u) && !isCodec(u);
export const JsonSchemaObject = new t.Type<Record<string, unknown>, Record<string, unknown>, unknown>(
  'a JSON Schema object',
  isJsonSchema,
  (u, c) => (isJsonSchema(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
