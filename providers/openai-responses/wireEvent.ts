import * as t from 'io-ts';

/**
 * One event of a Responses API stream (`POST {base}/responses`, `stream: true`), as far as every
 * event shares it: its `type` (also its SSE `event:` name, when the server sends one) and, on
 * api.openai.com, a rising `sequence_number`. The fields an event type carries are read where the
 * decoder maps that type, each checked there (`responsesField`): the API adds event types and
 * fields often, and hosted tools stream events of their own, so the shared codec stays this open.
 * Shapes: the `openai` package's `ResponseStreamEvent` union (src/resources/responses/responses.ts).
 */
export const ResponsesWireEvent = t.intersection([
  t.type({ type: t.string }),
  t.partial({
    sequence_number: t.number,
    output_index: t.number,
    item_id: t.string,
  }),
]);
export type ResponsesWireEvent = t.TypeOf<typeof ResponsesWireEvent> & Record<string, unknown>;
