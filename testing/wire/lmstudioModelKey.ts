/**
 * A model key as LM Studio names its models, `publisher/model` (`qwen/qwen3-4b`, `openai/gpt-oss-20b`).
 * OpenAI's model ids and Azure's deployment names have no `/`, so a Chat Completions request for such a
 * key comes from a client of LM Studio's OpenAI-compatible endpoint (which shares the path with
 * OpenAI's), and is answered as LM Studio answers it: its server does not check that the tool messages
 * answer the calls.
 *
 * @example
 * isLMStudioModelKey('qwen/qwen3-4b'); // true
 * isLMStudioModelKey('gpt-4o-mini'); // false
 */
export const isLMStudioModelKey = (model: string | undefined): boolean => model !== undefined && model.includes('/');
