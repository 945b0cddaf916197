import { concat, of, throwError, type MonoTypeOperatorFunction, type Observable } from 'rxjs';
import { createAnswerFold, type SharedAnswer } from '../../lib/answerFold';
import { createResponseAccumulator, StreamInterruptedError, type ChatResponse, type Chunk, type RxllmError } from '../../lib';
import { bufferChunks } from '../../operators';
import { recoverStreamSharing } from '../../operators/recoverStream';
import { transformChunkSharing } from '../../operators/transformChunk';
import { validateChunkSharing } from '../../operators/validateChunk';
import { withPartialResponse } from '../../operators/withPartialResponse';

const chunk = (seq: number, content: string, extra: Partial<Chunk> = {}): Chunk => ({ provider: 'openai', model: 'gpt-x', seq, bytes: 3, content, ...extra });
const answerOf = (chunks: Chunk[]): ChatResponse => {
  const fold = createResponseAccumulator();
  for (const c of chunks) fold.add(c);
  return fold.snapshot();
};
const broken = (chunks: Chunk[]): Observable<Chunk> => concat(of(...chunks), throwError(() => new StreamInterruptedError('reset', { retryable: false })));

/** What streamChat$ assembles with recovery on: one fold, fed by recovery, read by validation and the error's partial. */
function pipeline(source: Observable<Chunk>, stages: (shared: SharedAnswer) => MonoTypeOperatorFunction<Chunk>[]) {
  const shared: SharedAnswer = { fold: createAnswerFold() };
  let out = source.pipe(recoverStreamSharing(() => source, { maxRetries: 0 }, () => shared));
  for (const stage of stages(shared)) out = out.pipe(stage);
  out = out.pipe(withPartialResponse(shared));
  const received: Chunk[] = [];
  return new Promise<{ received: Chunk[]; error: RxllmError; shared: SharedAnswer; first: SharedAnswer['fold'] }>((resolve) => {
    const first = shared.fold;
    out.subscribe({ next: (c) => received.push(c), error: (error: RxllmError) => resolve({ received, error, shared, first }) });
  });
}

describe('AnswerFold', () => {
  test('before(chunk) is the answer without the chunk being handled; snapshot() has it', () => {
    const fold = createAnswerFold();
    const [a, b] = [chunk(0, 'Hello'), chunk(1, ' world', { finishReason: 'stop' })];
    fold.add(a);
    expect(fold.before(a).content).toBe('');
    fold.add(b);
    expect(fold.before(b)).toEqual(answerOf([a]));
    expect(fold.snapshot()).toEqual(answerOf([a, b]));
  });

  test('a fork starts from the answer before the chunk and goes on by itself', () => {
    const fold = createAnswerFold();
    const calls: Chunk = chunk(1, '', { toolCalls: [{ index: 0, id: 'c1', name: 'f', argumentsDelta: '{"a":' }], citations: [{ url: 'https://x' }], usage: { inputTokens: 3 }, metadata: { refusal: true } });
    const [a, b] = [chunk(0, 'Hi'), calls];
    fold.add(a);
    fold.add(b);
    const next = chunk(2, 'X');
    fold.add(next);
    const fork = fold.fork(next);
    const more = chunk(3, '', { toolCalls: [{ index: 0, argumentsDelta: '1}' }], finishReason: 'tool_calls' });
    fork.add(more);
    expect(fork.snapshot()).toEqual(answerOf([a, b, more]));
    expect(fold.snapshot()).toEqual(answerOf([a, b, next]));
  });
});

describe('one fold shared by recovery, validation and the partial answer', () => {
  const chunks = [chunk(0, 'One. '), chunk(1, 'Two. '), chunk(2, 'Three. '), chunk(3, 'Four.')];

  test('an identity transform and a buffer: the error carries what the subscriber received, from the one fold (no fork)', async () => {
    const { received, error, shared, first } = await pipeline(broken(chunks), (s) => [validateChunkSharing(() => true, 'error', s), transformChunkSharing((c) => c, s), bufferChunks(3)]);
    expect(received.map((c) => c.content).join('')).toBe('One. Two. Three. Four.');
    expect(error.partial).toEqual(answerOf(received));
    expect(shared.fold).toBe(first);
  });

  test('a transform that changes chunks forks the fold: the partial is what the subscriber received, recovery keeps its own answer', async () => {
    const upper = (c: Chunk) => (c.seq >= 1 ? { ...c, content: c.content!.toUpperCase() } : c);
    const { received, error, shared, first } = await pipeline(broken(chunks), (s) => [transformChunkSharing(upper, s), bufferChunks(2)]);
    expect(received.map((c) => c.content).join('')).toBe('One. TWO. THREE. FOUR.');
    expect(error.partial).toEqual(answerOf(received));
    expect(shared.fold).not.toBe(first);
    expect(first.snapshot().content).toBe('One. Two. Three. Four.');
  });

  test('a transform that drops chunks forks the fold too', async () => {
    const { received, error } = await pipeline(broken(chunks), (s) => [transformChunkSharing((c) => (c.seq === 2 ? null : c), s)]);
    expect(received.map((c) => c.content).join('')).toBe('One. Two. Four.');
    expect(error.partial).toEqual(answerOf(received));
  });

  test("validateChunk 'error': the partial is the answer before the invalid chunk", async () => {
    const { received, error } = await pipeline(broken(chunks), (s) => [validateChunkSharing((c) => c.seq !== 2 || 'no threes', 'error', s), bufferChunks(5)]);
    expect(error.name).toBe('ChunkValidationError');
    expect(received.map((c) => c.content).join('')).toBe('One. Two. ');
    expect(error.partial).toEqual(answerOf(chunks.slice(0, 2)));
  });

  test("validateChunk 'drop' forks the fold: the partial is what the subscriber received, the drop mark included", async () => {
    const { received, error } = await pipeline(broken(chunks), (s) => [validateChunkSharing((c) => c.seq !== 1, 'drop', s)]);
    expect(received.map((c) => c.content).join('')).toBe('One. Three. Four.');
    expect(received[1].metadata?.validationDropped).toBe(1);
    expect(error.partial).toEqual(answerOf(received));
  });
});
