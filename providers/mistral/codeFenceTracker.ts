/** Which fenced code block a piece of text is in: its number in the answer (from 0) and its language. */
export interface CodeBlockRef {
  index: number;
  /** the first word of the opening fence's info string (```` ```ts ```` → `'ts'`), `null` when there is none */
  language: string | null;
}

/** A fenced code block, once it is closed (or the answer ended inside it). */
export interface CompletedCodeBlock extends CodeBlockRef {
  /** the lines between the fences, each with its line end, less the opening fence's indentation */
  code: string;
  /** true when the answer ended before the closing fence */
  unterminated?: true;
}

/** A block closed during one `feed` (or at `end`), and the text in which its closing fence line began. */
export interface ClosedCodeBlock {
  block: CompletedCodeBlock;
  /** the serial number (see `FenceStep.serial`) of the text holding the closing fence line's first character */
  beganIn: number;
}

/** What one piece of text did to the fence state. */
export interface FenceStep {
  /** this text's number, 1, 2, … in `feed` order */
  serial: number;
  /** the first block some character of this text is code of (a character on a line between the fences, its line end included) */
  code?: CodeBlockRef;
  /**
   * How the undecided line that earlier texts left open (inside a block, it might still be the
   * closing fence) was decided by this text: as code of `resolvedBlock`, or as the closing fence.
   */
  resolved?: 'code' | 'fence';
  resolvedBlock?: CodeBlockRef;
  /** blocks closed by this text, in order */
  closed: ClosedCodeBlock[];
  /** this text ends with characters of a line inside a block that may still be the closing fence */
  pending: boolean;
}

type State =
  // outside a block: at a line start (indentation), in a possible opening fence, its info string, any other line
  | 'line'
  | 'fence'
  | 'info'
  | 'text'
  // inside a block: at a line start, in a possible closing fence, after its fence characters, in a code line
  | 'inLine'
  | 'inFence'
  | 'inTrail'
  | 'inCode';

const isBlank = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r';

/**
 * Follows Markdown fenced code blocks (```` ``` ```` or `~~~`, three or more, with an optional
 * language) through text that arrives in pieces, cut anywhere. A fence is recognised at a line start
 * after any indentation (models nest blocks in list items); the closing fence uses the opening
 * character at least as many times, with nothing but blanks after it. Each character is looked at
 * once; a line inside a block stays undecided only while it may still be the closing fence.
 *
 * @example
 * const tracker = new CodeFenceTracker();
 * tracker.feed('Here:\n``');        // not code yet
 * tracker.feed('`py\nprint(1)\n');  // { code: { index: 0, language: 'py' }, … }
 * tracker.feed('```\n').closed;     // [{ block: { index: 0, language: 'py', code: 'print(1)\n' }, beganIn: 3 }]
 */
export class CodeFenceTracker {
  private state: State = 'line';
  private serial = 0;
  /** the opening fence being read, or of the open block */
  private fenceChar = '';
  private fenceLength = 0;
  private indent = 0;
  private info = '';
  /** the open block */
  private block: CodeBlockRef | undefined;
  private codeParts: string[] = [];
  private blocks = 0;
  /** inside a block: the undecided start of the current line, how many fence characters it has, and where it began */
  private pendingLine = '';
  private closingLength = 0;
  private lineBeganIn = 0;

  /** Reads the next piece of text. */
  feed(text: string): FenceStep {
    const step: FenceStep = { serial: ++this.serial, closed: [], pending: false };
    let contributed = false;
    let i = 0;
    const n = text.length;
    while (i < n) {
      switch (this.state) {
        case 'line': {
          const ch = text[i];
          if (ch === ' ' || ch === '\t') this.indent++;
          else if (ch === '`' || ch === '~') {
            this.fenceChar = ch;
            this.fenceLength = 1;
            this.info = '';
            this.state = 'fence';
          } else if (ch === '\n') this.indent = 0;
          else this.state = 'text';
          i++;
          break;
        }
        case 'fence': {
          const ch = text[i];
          if (ch === this.fenceChar) {
            this.fenceLength++;
            i++;
          } else if (this.fenceLength < 3) {
            this.state = 'text';
          } else {
            this.state = 'info';
          }
          break;
        }
        case 'info': {
          const end = text.indexOf('\n', i);
          const part = text.slice(i, end < 0 ? n : end);
          if (this.fenceChar === '`' && part.includes('`')) {
            // a backtick fence's info string has no backtick: this is inline code, not a fence
            this.state = 'text';
            break;
          }
          this.info += part;
          if (end < 0) {
            i = n;
            break;
          }
          this.open();
          i = end + 1;
          break;
        }
        case 'text': {
          const end = text.indexOf('\n', i);
          if (end < 0) {
            i = n;
            break;
          }
          this.state = 'line';
          this.indent = 0;
          i = end + 1;
          break;
        }
        case 'inLine':
        case 'inFence':
        case 'inTrail': {
          const ch = text[i++];
          if (this.pendingLine === '') this.lineBeganIn = step.serial;
          if (ch === '\n') {
            if (this.state !== 'inLine' && this.closingLength >= this.fenceLength) this.close(step);
            else this.toCode(step, '\n');
            contributed = false;
          } else if (this.continuesClosingFence(ch)) {
            this.pendingLine += ch;
            contributed = true;
          } else {
            // anything else: the line is code
            this.toCode(step, ch);
            contributed = false;
          }
          break;
        }
        case 'inCode': {
          const end = text.indexOf('\n', i);
          this.codeParts.push(text.slice(i, end < 0 ? n : end + 1));
          step.code ??= this.block;
          if (end < 0) {
            i = n;
            break;
          }
          this.state = 'inLine';
          i = end + 1;
          break;
        }
        default: {
          const never: never = this.state;
          throw new Error(`CodeFenceTracker: unknown state ${String(never)}`);
        }
      }
    }
    step.pending = contributed;
    return step;
  }

  /** The text ended: decides the open line (a closing fence, or code) and reports a block left open as unterminated. */
  end(): FenceStep {
    const step: FenceStep = { serial: ++this.serial, closed: [], pending: false };
    // an opening fence at the very end opens an (empty) block, as in CommonMark
    if (this.state === 'info' || (this.state === 'fence' && this.fenceLength >= 3)) this.open();
    if ((this.state === 'inFence' || this.state === 'inTrail') && this.closingLength >= this.fenceLength) {
      this.close(step);
    } else if (this.pendingLine !== '') {
      this.toCode(step, '');
      step.code = undefined; // no character of this (empty) text is code
    }
    if (this.block) {
      const block: CompletedCodeBlock = { ...this.block, code: this.codeParts.join(''), unterminated: true };
      step.closed.push({ block, beganIn: step.serial });
      this.block = undefined;
      this.codeParts = [];
    }
    this.state = 'line';
    return step;
  }

  private open() {
    const language = this.info.trim().split(/\s+/)[0] || null;
    this.block = { index: this.blocks++, language };
    this.codeParts = [];
    this.pendingLine = '';
    this.closingLength = 0;
    this.state = 'inLine';
  }

  /** Whether `ch` keeps the current line inside a block a possible closing fence (and moves the state on). */
  private continuesClosingFence(ch: string): boolean {
    if (this.state === 'inTrail') return isBlank(ch);
    if (ch === this.fenceChar) {
      if (this.state === 'inFence' || this.state === 'inLine') {
        this.closingLength++;
        this.state = 'inFence';
        return true;
      }
      return false;
    }
    if (!isBlank(ch)) return false;
    if (this.state === 'inLine') return true;
    // blanks after the fence characters: still a closing fence only when there are enough of them
    if (this.closingLength < this.fenceLength) return false;
    this.state = 'inTrail';
    return true;
  }

  /** The current line is code: its undecided start, then `ch` (of the text being read). */
  private toCode(step: FenceStep, ch: string) {
    const block = this.block!;
    if (this.lineBeganIn < step.serial) {
      step.resolved = 'code';
      step.resolvedBlock = block;
    }
    this.codeParts.push(this.stripIndent(this.pendingLine) + ch);
    this.pendingLine = '';
    this.closingLength = 0;
    step.code ??= block;
    this.state = ch === '\n' || ch === '' ? 'inLine' : 'inCode';
  }

  /** The current line is the closing fence. */
  private close(step: FenceStep) {
    const block: CompletedCodeBlock = { ...this.block!, code: this.codeParts.join('') };
    if (this.lineBeganIn < step.serial) {
      step.resolved = 'fence';
      step.resolvedBlock = this.block;
    }
    step.closed.push({ block, beganIn: this.lineBeganIn });
    this.block = undefined;
    this.codeParts = [];
    this.pendingLine = '';
    this.closingLength = 0;
    this.state = 'line';
    this.indent = 0;
  }

  /** Removes up to the opening fence's indentation from the start of a code line. */
  private stripIndent(line: string): string {
    if (this.indent === 0 || line === '') return line;
    let k = 0;
    while (k < this.indent && k < line.length && (line[k] === ' ' || line[k] === '\t')) k++;
    return k === 0 ? line : line.slice(k);
  }
}
