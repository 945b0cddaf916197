import * as t from 'io-ts';
import type { ChunkMetadata } from './chunkMetadata';
import { Citation } from './citation';
import { FinishReason } from './finishReason';
import { ToolCallDelta } from './toolCallDelta';
import { Usage } from './usage';

/**
 * One piece of a streamed answer, in the same flat shape for every provider, so that
 * `chunk.content && write(chunk.content)` works everywhere.
 *
 * @example
 * streamChat$('openai', [{ role: 'user', content: 'Hi' }])
 *   .subscribe((chunk) => chunk.content && process.stdout.write(chunk.content));
 */
export const Chunk = t.intersection([
  t.type({
    /** 'openai' | 'openai-responses' | 'azure' | 'azure-responses' | 'anthropic' | 'gemini' | 'mistral' | 'perplexity' | 'lmstudio' | 'ollama' | a custom id */
    provider: t.string,
    /** 0, 1, 2, … contiguous for the subscriber */
    seq: t.number,
    /** wire bytes read since the previous chunk, up to the read that completed this one (0 for synthetic chunks) */
    bytes: t.number,
  }),
  t.partial({
    id: t.string,
    model: t.string,
    /** text delta */
    content: t.string,
    /** thinking delta */
    reasoning: t.string,
    toolCalls: t.array(ToolCallDelta),
    citations: t.array(Citation),
    finishReason: FinishReason,
    usage: Usage,
    metadata: t.record(t.string, t.unknown),
  }),
]);
export interface Chunk {
  /** 'openai' | 'openai-responses' | 'azure' | 'azure-responses' | 'anthropic' | 'gemini' | 'mistral' | 'perplexity' | 'lmstudio' | 'ollama' | a custom id */
  provider: string;
  /** 0, 1, 2, … contiguous for the subscriber */
  seq: number;
  /** wire bytes read since the previous chunk, up to the read that completed this one (0 for synthetic chunks) */
  bytes: number;
  id?: string;
  model?: string;
  /** text delta */
  content?: string;
  /** thinking delta */
  reasoning?: string;
  toolCalls?: ToolCallDelta[];
  citations?: Citation[];
  finishReason?: FinishReason;
  usage?: Usage;
  /** provider extras and the marks operators set and read: see `ChunkMetadata` (which you may extend) */
  metadata?: ChunkMetadata;
}

/** The interface and the codec describe the same fields (the codec's metadata is any record, the interface's `ChunkMetadata`). */
type SameFields<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const fieldsMatch: SameFields<Omit<Chunk, 'metadata'>, Omit<t.TypeOf<typeof Chunk>, 'metadata'>> = true;
void fieldsMatch;
