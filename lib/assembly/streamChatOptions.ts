import * as t from 'io-ts';
import type { ChunkValidator } from '../../operators/validateChunk';
import { RequestOptions } from '../types/requestOptions';
import { CoordinatorOptions } from './coordinatorOptions';

/**
 * The options of `streamChat$`: the request's (`RequestOptions`, what providers see) and the
 * coordinator's (`CoordinatorOptions`, what the assembly applies around the stream). Providers add
 * their own (see each provider's docs); `streamChat$` checks all of them before it sends anything
 * and fails with `ConfigError` naming the path.
 *
 * @example
 * streamChat$('openai', messages, { model: 'gpt-4o-mini', timeout: 30_000, bufferChunks: { maxWaitMs: 50 } });
 */
export const StreamChatOptions = t.partial({ ...RequestOptions.props, ...CoordinatorOptions.props });
export type StreamChatOptions = t.TypeOf<typeof StreamChatOptions>;

/** `true` or `undefined` for a valid chunk; `false` or a reason for an invalid one (the `validateChunk` option). */
export type ChunkCheck = ChunkValidator;
