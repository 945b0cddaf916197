import type { FramedStream } from '../route';

/** How a category of Azure's content filter judges text that passes: not filtered, severity `safe`. */
const SAFE = { filtered: false, severity: 'safe' };

/** The filter's results on text that passes, as Azure reports them on each choice that carries text. */
const COMPLETION_FILTER_RESULTS = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };

/** The filter's results on the prompt: the same categories, and the jailbreak check (`detected`). */
const PROMPT_FILTER_RESULTS = { hate: SAFE, jailbreak: { filtered: false, detected: false }, self_harm: SAFE, sexual: SAFE, violence: SAFE };

/** How an Azure stream is written beyond OpenAI's. */
export interface AzureFramesOptions {
  /** `stream_options.include_usage` was asked for: every chunk of the model carries `usage` (`null` but on the usage chunk) */
  includeUsage: boolean;
}

type Chunk = Record<string, unknown> & { choices?: Array<Record<string, unknown>> };

/**
 * The frames of an Azure OpenAI Chat Completions stream, from OpenAI's (`openaiFrames`) for the same
 * answer, as Azure wraps the model's stream in its content filter (recorded from Azure, and Azure's
 * content-streaming documentation):
 * - first, the prompt's filter results in a chunk of their own, with no choices and empty `id`,
 *   `model` and `object`, `created: 0`;
 * - on each choice, `content_filter_results`: the categories' verdicts on a choice that carries text,
 *   `{}` on the others (the role chunk, the finish chunk, tool-call pieces);
 * - `system_fingerprint: null`, and `usage: null` on every chunk of the model when the usage was asked
 *   for (the usage chunk keeps OpenAI's place, after the finish chunk, before `[DONE]`);
 * - after the finish chunk, the filter's trailing annotation: a choice with no `delta`, the results and
 *   `content_filter_offsets` (the mock counts the answer's characters), empty `id`, `model`, `object`.
 * Azure writes each chunk's keys in alphabetical order; so does this. The annotation is terminal
 * (`truncate` leaves it out), the prompt's chunk is not content; the error event and the broken frame
 * are OpenAI's, which Azure passes on.
 *
 * @example
 * azureFrames(openaiFrames(wire, { usage: 'chunk' }), { includeUsage: true }).stream[0]; // 'data: {"choices":[],"created":0,"id":"",…,"prompt_filter_results":[…]}\n\n'
 */
export function azureFrames(openai: FramedStream, options: AzureFramesOptions): FramedStream {
  const finishIndex = openai.stream.length - openai.terminalFrames;
  const model = openai.stream.map((frame) => modelChunk(frame, options));
  const characters = model.reduce((n, chunk) => n + (chunk ? textOf(chunk).length : 0), 0);
  const frames = openai.stream.map((frame, i) => {
    const chunk = model[i];
    return chunk ? dataFrame(chunk) : frame;
  });
  frames.splice(finishIndex + 1, 0, dataFrame(filterAnnotation(characters)));
  return {
    ...openai,
    stream: [promptFilterFrame(), ...frames],
    contentFrames: openai.contentFrames.map((i) => i + 1),
    terminalFrames: openai.terminalFrames + 1,
  };
}

/** The first frame: the prompt's filter results (written in Azure's order: `prompt_index` first). */
const promptFilterFrame = () =>
  `data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: PROMPT_FILTER_RESULTS }] })}\n\n`;

/** A chunk of the model's, as Azure passes it on; `undefined` for a frame that is no JSON chunk (`[DONE]`). */
function modelChunk(frame: string, { includeUsage }: AzureFramesOptions): Chunk | undefined {
  if (!frame.startsWith('data: {')) return undefined;
  const chunk = JSON.parse(frame.slice('data: '.length)) as Chunk;
  const choices = (chunk.choices ?? []).map((choice) => ({ ...choice, content_filter_results: carriesText(choice) ? COMPLETION_FILTER_RESULTS : {} }));
  return { ...chunk, choices, system_fingerprint: null, ...(includeUsage && !('usage' in chunk) ? { usage: null } : {}) };
}

/** The filter's annotation after the finish: the text it vetted, from the start to `characters`. */
const filterAnnotation = (characters: number): Chunk => ({
  choices: [
    {
      content_filter_offsets: { check_offset: characters, end_offset: characters, start_offset: 0 },
      content_filter_results: COMPLETION_FILTER_RESULTS,
      finish_reason: null,
      index: 0,
    },
  ],
  created: 0,
  id: '',
  model: '',
  object: '',
});

const deltaOf = (choice: Record<string, unknown>) => (choice.delta ?? {}) as { content?: unknown };
const carriesText = (choice: Record<string, unknown>) => typeof deltaOf(choice).content === 'string' && deltaOf(choice).content !== '';
const textOf = (chunk: Chunk) => (chunk.choices ?? []).map((choice) => (carriesText(choice) ? (deltaOf(choice).content as string) : '')).join('');

/** `data: <chunk>` with its keys in alphabetical order at every level, as Azure writes them. */
const dataFrame = (chunk: Chunk) => `data: ${JSON.stringify(sortedKeys(chunk))}\n\n`;

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, v]) => [key, sortedKeys(v)]));
}
