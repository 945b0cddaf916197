import { catchError, concat, defer, finalize, mergeMap, throwError, type MonoTypeOperatorFunction } from 'rxjs';
import type { Chunk } from '../../lib/types/chunk';
import { CodeFenceTracker, type CodeBlockRef, type CompletedCodeBlock, type FenceStep } from './codeFenceTracker';

export type { CodeBlockRef, CompletedCodeBlock };

/** A chunk waiting for the undecided line it ends on, or a finished block to announce after it. */
type Item = { chunk: Chunk; serial: number; mark?: CodeBlockRef; contributor: boolean } | { block: CompletedCodeBlock };

/**
 * Follows the answer's fenced code blocks (```` ```lang ```` or `~~~`) across chunk boundaries: a
 * chunk with any character of a block's code gets `metadata.codeBlock = { index, language }`, and
 * when a block closes one synthetic chunk (no content, `bytes: 0`) follows with
 * `metadata.completedCodeBlock = { index, language, code }` — also for a block the answer leaves
 * open, at the end (or before an error), with `unterminated: true`. The text is never changed.
 *
 * A fence may be cut anywhere (```` `` ```` + `` `py\n ``). Chunks are held back only while a line
 * inside a block may still be its closing fence (```` ``` ```` at the end of a chunk, until the next
 * one ends the line), since only then is it unknown whether they are code. The announcement comes
 * right after the chunk in which the closing fence line began — for a fence on the last chunk,
 * after the chunk with the finish reason. `seq` stays contiguous. Each character is read once.
 *
 * ```
 * chunks:  --a--------b-----c------d--|    a: 'Run:\n```sh\nls -l\n', b: '``', c: '`\n\nDone', d: finish
 * formatCodeBlocks()
 * chunks:  --a'-------------(bXc)--d--|    a': codeBlock { index: 0, language: 'sh' }; b waits: code, or the fence?
 *                                          X: completedCodeBlock { index: 0, language: 'sh', code: 'ls -l\n' }
 * ```
 *
 * @example
 * streamChat$('mistral', [{ role: 'user', content: 'A bash one-liner to count files' }], { formatCodeBlocks: true })
 *   .subscribe((chunk) => {
 *     const done = chunk.metadata?.completedCodeBlock as CompletedCodeBlock | undefined;
 *     if (done) highlight(done.language, done.code);
 *     else if (chunk.content) write(chunk.content, chunk.metadata?.codeBlock ? 'code' : 'prose');
 *   });
 *
 * @see CodeFenceTracker
 */
export function formatCodeBlocks(): MonoTypeOperatorFunction<Chunk> {
  return (source) =>
    defer(() => {
      const tracker = new CodeFenceTracker();
      let held: Item[] = [];
      let seq = 0;
      let provider = 'unknown';

      const toChunk = (item: Item): Chunk => {
        if ('block' in item) return { provider, seq: seq++, bytes: 0, metadata: { completedCodeBlock: item.block } };
        const { chunk, mark } = item;
        if (mark) return { ...chunk, seq: seq++, metadata: { ...chunk.metadata, codeBlock: { index: mark.index, language: mark.language } } };
        return chunk.seq === seq ? (seq++, chunk) : { ...chunk, seq: seq++ };
      };

      /** The held items, now that the line they waited for is decided (`step.resolved`), and the closes that follow. */
      const release = (step: FenceStep): { items: Item[]; closes: ClosedBlocks } => {
        let closes = step.closed;
        if (!step.resolved) return { items: [], closes };
        const items = held;
        held = [];
        if (step.resolved === 'code') {
          for (const item of items) if ('chunk' in item && item.contributor) item.mark = step.resolvedBlock;
        } else {
          // the closing fence line began in an earlier chunk: announce the block right after that one
          const [first, ...rest] = closes;
          closes = rest;
          const at = items.findIndex((item) => 'chunk' in item && item.serial === first.beganIn);
          items.splice(at + 1, 0, { block: first.block });
        }
        return { items, closes };
      };

      const onChunk = (chunk: Chunk): Chunk[] => {
        provider = chunk.provider;
        if (!chunk.content) {
          if (held.length > 0) {
            held.push({ chunk, serial: 0, contributor: false });
            return [];
          }
          return [toChunk({ chunk, serial: 0, contributor: false })];
        }
        const step = tracker.feed(chunk.content);
        const { items, closes } = release(step);
        const current: Item = { chunk, serial: step.serial, mark: step.code, contributor: step.pending };
        const announced = closes.map((close): Item => ({ block: close.block }));
        if (held.length > 0 || (step.pending && !step.code)) {
          // this chunk only continues (or starts) a line that may still be a closing fence
          held.push(current, ...announced);
        } else {
          items.push(current, ...announced);
        }
        return items.map(toChunk);
      };

      const onEnd = (): Chunk[] => {
        const step = tracker.end();
        const { items, closes } = release(step);
        items.push(...held, ...closes.map((close): Item => ({ block: close.block })));
        held = [];
        return items.map(toChunk);
      };

      return concat(source.pipe(mergeMap(onChunk)), defer(onEnd)).pipe(
        // a failure ends the text too: what was held, and a block left open, go out before the error
        catchError((error: unknown) => concat(onEnd(), throwError(() => error))),
        finalize(() => {
          held = [];
        }),
      );
    });
}

type ClosedBlocks = FenceStep['closed'];
