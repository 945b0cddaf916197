import type { MonoTypeOperatorFunction } from 'rxjs';
import { chunkOperator } from '../../lib/chunkOperator';
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
  return chunkOperator((out) => {
    const tracker = new CodeFenceTracker();
    let held: Item[] = [];

    const send = (item: Item): void => {
      if ('block' in item) {
        out.next(out.synthetic({ metadata: { completedCodeBlock: item.block } }));
        return;
      }
      const { chunk, mark } = item;
      out.next(mark ? { ...chunk, metadata: { ...chunk.metadata, codeBlock: { index: mark.index, language: mark.language } } } : chunk);
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

    return {
      step(chunk) {
        if (!chunk.content) {
          if (held.length > 0) held.push({ chunk, serial: 0, contributor: false });
          else out.next(chunk);
          return;
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
        for (const item of items) send(item);
      },
      // a failure ends the text too: what was held, and a block left open, go out before the error
      flush() {
        const step = tracker.end();
        const { items, closes } = release(step);
        items.push(...held, ...closes.map((close): Item => ({ block: close.block })));
        held = [];
        for (const item of items) send(item);
      },
    };
  });
}

type ClosedBlocks = FenceStep['closed'];
