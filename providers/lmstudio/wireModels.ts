import * as t from 'io-ts';
import { nullable } from '../../lib/codec/readable';

/** One entry of LM Studio's REST API model list (`GET /api/v0/models`); only what `validateLocal` reads is described. */
export const LMStudioWireModel = t.intersection([
  t.type({ id: t.string }),
  t.partial({
    /** `"loaded"` or `"not-loaded"` */
    state: nullable(t.string),
    /** `"llm"`, `"vlm"`, `"embeddings"` */
    type: nullable(t.string),
  }),
]);
export type LMStudioWireModel = t.TypeOf<typeof LMStudioWireModel>;

/**
 * A model list: `{ object: "list", data: [...] }`, as both `GET /api/v0/models` (every downloaded
 * model, with its `state`) and the OpenAI-compatible `GET /v1/models` (ids only) answer.
 */
export const LMStudioWireModelList = t.type({ data: t.array(LMStudioWireModel) });
export type LMStudioWireModelList = t.TypeOf<typeof LMStudioWireModelList>;
