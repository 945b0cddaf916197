import * as t from 'io-ts';

/**
 * One fragment of a tool call, as the wire sends it. The first fragment of a call usually carries
 * `id` and `name`; later ones only `argumentsDelta`, a piece of the JSON text of the arguments.
 * Fragments of parallel calls are told apart by `index`. A call of a custom tool (OpenAI's
 * `type: "custom"`, whose input is free text, not JSON) is marked `custom: true` on its fragments;
 * its `argumentsDelta` is a piece of that text.
 */
export const ToolCallDelta = t.intersection([
  t.type({ index: t.number }),
  t.partial({
    id: t.string,
    name: t.string,
    argumentsDelta: t.string,
    /** Gemini: the signature of the part that carried the call (opaque), to send back on that call (Gemini 3 refuses the next turn without it) */
    thoughtSignature: t.string,
    /** OpenAI: a fragment of a custom (free-text) tool's call: its arguments are text, never JSON */
    custom: t.literal(true),
    /** OpenAI Responses: the call's output item id (`fc_…`, `ctc_…`; `id` is its `call_id`), to send back with it */
    itemId: t.string,
  }),
]);
export type ToolCallDelta = t.TypeOf<typeof ToolCallDelta>;
