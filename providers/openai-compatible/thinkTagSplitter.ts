import type { Chunk } from '../../lib/types/chunk';

const OPEN = '<think>';
const CLOSE = '</think>';

const enum Phase {
  /** nothing but whitespace seen yet: the answer may still open with `<think>` */
  Start,
  /** inside the `<think>` block */
  Thinking,
  /** after the block, or the answer had none: everything is content */
  Answer,
}

/**
 * Splits a `<think>…</think>` block at the start of a streamed answer off into `reasoning`, as
 * Perplexity's `sonar-reasoning` models and DeepSeek-R1-style models without a separate reasoning
 * field send it inside `content`. The tags may be cut anywhere across deltas, and the closing tag
 * may share a delta with the answer (`"\n</think>\n\n#"`): text that could still be the start of a
 * tag is held back until the next delta decides it. The text between the tags and after the
 * closing tag is passed on exactly (no trimming), so reasoning + content is the wire text without
 * its tags. Only a block that opens the answer counts (leading whitespace allowed); a `<think>`
 * later in the text, or a second block, is ordinary content. Once past the block each delta costs
 * one comparison.
 *
 * @example
 * const splitter = new ThinkTagSplitter();
 * const a: Chunk = { provider: 'perplexity', seq: 0, bytes: 0 };
 * splitter.push('<think>\nHmm</th', a); // a.reasoning === '\nHmm', '</th' held back
 * const b: Chunk = { provider: 'perplexity', seq: 0, bytes: 0 };
 * splitter.push('ink>\n\nYes', b);      // b.content === '\n\nYes'
 */
export class ThinkTagSplitter {
  private phase = Phase.Start;
  /** text held back because it may be the start of a tag */
  private held = '';

  /** Maps one text delta onto `chunk` (`content` and/or `reasoning`); false when all of it is held back. */
  push(text: string, chunk: Chunk): boolean {
    if (this.phase === Phase.Answer) {
      chunk.content = text;
      return true;
    }
    const s = this.held ? this.held + text : text;
    this.held = '';
    if (this.phase === Phase.Start) {
      let i = 0;
      while (i < s.length && isSpace(s.charCodeAt(i))) i++;
      const rest = s.slice(i);
      if (rest.startsWith(OPEN)) {
        this.phase = Phase.Thinking;
        return this.think(rest.slice(OPEN.length), chunk);
      }
      if (rest.length < OPEN.length && OPEN.startsWith(rest)) {
        this.held = s;
        return false;
      }
      this.phase = Phase.Answer;
      chunk.content = s;
      return true;
    }
    return this.think(s, chunk);
  }

  /** The stream ended: text still held back goes out (reasoning inside an unclosed block, else content). */
  flush(chunk: Chunk): boolean {
    const held = this.held;
    if (!held) return false;
    this.held = '';
    if (this.phase === Phase.Thinking) chunk.reasoning = (chunk.reasoning ?? '') + held;
    else chunk.content = (chunk.content ?? '') + held;
    return true;
  }

  private think(s: string, chunk: Chunk): boolean {
    const close = s.indexOf(CLOSE);
    if (close >= 0) {
      this.phase = Phase.Answer;
      const after = s.slice(close + CLOSE.length);
      if (close > 0) chunk.reasoning = s.slice(0, close);
      if (after) chunk.content = after;
      return close > 0 || after.length > 0;
    }
    const keep = partialTagAtEnd(s, CLOSE);
    if (keep > 0) this.held = s.slice(s.length - keep);
    if (keep < s.length) {
      chunk.reasoning = s.slice(0, s.length - keep);
      return true;
    }
    return false;
  }
}

/** The length of the longest end of `s` that is a proper start of `tag` (`"…</th"` → 4). */
function partialTagAtEnd(s: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, s.length); n > 0; n--) {
    if (s.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}
