import { ParseError } from './errors/parseError';

/**
 * An incremental, tolerant-of-incompleteness JSON parser: text goes in by slices of any size
 * (`feed`), and at any point `value()` is the partial value parsed so far — the view of the final
 * value that the text read so far can already tell, and nothing more:
 * - strings grow (an escape shows once whole; a high surrogate, raw or `\uD83D`, shows with its
 *   low half, never alone while its pair may follow);
 * - arrays gain elements, objects keys; a key shows once its value has started (`""`, `{}`, `[]`),
 *   or, for a number, `true`, `false` or `null`, once that value is complete (a partial number could
 *   change meaning: `1` of `12`, `-` of `-3`);
 * - a duplicate key overwrites, as `JSON.parse` does; `__proto__` is an own key, as with `JSON.parse`.
 *
 * Linear in the text: each character is read once, runs of plain string characters are appended as
 * one slice. `value()` is a snapshot that never changes afterwards: values already complete are
 * shared between snapshots (a UI keyed on identity redraws only what changed), and only the
 * containers still open (from the root to where the text is) are copied, each for its entries so far.
 *
 * A Markdown code fence around the value (```` ```json ```` … ```` ``` ````, which models often add
 * even when told to answer in JSON) is accepted: three or more backticks and an optional language tag
 * before the value, the closing backticks after it. Any other text before or after the value is an
 * error, as is anything that is not JSON (a `ParseError` of kind `'json'` whose `at` says where).
 *
 * @example
 * const parser = createPartialJsonParser();
 * parser.feed('{"name": "Ad');  // true (changed)
 * parser.value();               // { name: 'Ad' }
 * parser.feed('a", "age": 3');  // true
 * parser.value();               // { name: 'Ada' } — 3 could still be 36
 * parser.feed('6}');
 * parser.value();               // { name: 'Ada', age: 36 }
 * parser.end();                 // throws a ParseError if the value is incomplete
 */
export interface PartialJsonParser {
  /** Reads the next slice of text; true when the partial value changed. Throws a `ParseError` at the first character that is not JSON (what came before it stays parsed; later calls throw it again). */
  feed(text: string): boolean;
  /** The end of the text: completes a top-level number, throws a `ParseError` when the value is not complete. True when the value changed. */
  end(): boolean;
  /** The partial value so far (`undefined` before a value started), a snapshot that later text never changes. */
  value(): unknown;
  /**
   * What the next `value()` costs: the entries of the containers still open, which it copies (a
   * caller that takes a value per slice can space them out when this is large, to stay linear).
   */
  readonly openEntries: number;
  /** Whether a whole value has been read. */
  readonly complete: boolean;
  /** Characters read so far. */
  readonly offset: number;
}

/** Where a JSON error is: the character's index in the text, its line and column (from 1). */
export interface JsonPosition {
  offset: number;
  line: number;
  column: number;
}

// states of the machine
const BEFORE = 0; // before the value: whitespace, a fence, or the value
const FENCE_OPEN = 1; // in the opening backticks
const FENCE_TAG = 2; // in the language tag after them
const VALUE = 3; // a value is expected (after '[' ',' ':' or the fence)
const STRING = 4;
const ESCAPE = 5; // after a backslash
const UNICODE = 6; // in the 4 hex digits of \u
const NUMBER = 7;
const LITERAL = 8; // true, false, null
const KEY_OR_END = 9; // after '{'
const KEY = 10; // after ',' in an object
const COLON = 11; // after a key
const AFTER = 12; // after a value in a container: ',' or the close
const VALUE_OR_END = 13; // after '['
const AFTER_ROOT = 14; // after the whole value: whitespace or the closing fence
const FENCE_CLOSE = 15; // in the closing backticks
const DONE = 16; // only whitespace may follow

// states of a number
const N_SIGN = 0;
const N_ZERO = 1;
const N_INT = 2;
const N_DOT = 3;
const N_FRAC = 4;
const N_EXP = 5;
const N_EXP_SIGN = 6;
const N_EXP_DIGITS = 7;

interface Frame {
  array: unknown[] | undefined;
  object: Record<string, unknown> | undefined;
  /** the key whose value is being read (objects) */
  key: string;
  /** entries put so far */
  size: number;
}

const LITERALS: Record<string, unknown> = { true: true, false: false, null: null };
const CONTEXT = 200;

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;

/** Sets `key` as an own property, also `__proto__` (as `JSON.parse` does). */
function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

/** A character as an error message shows it. */
function shown(c: string): string {
  return c === '' ? 'the end of the text' : JSON.stringify(c);
}

export function createPartialJsonParser(): PartialJsonParser {
  let state = BEFORE;
  const stack: Frame[] = [];
  let root: unknown;
  let started = false;
  // the string being read: its text so far, a high surrogate held back until what follows it, and whether it is a key
  let str = '';
  let held = '';
  let isKey = false;
  let hex = '';
  // the number or literal being read
  let token = '';
  let numberState = N_SIGN;
  let literal = '';
  // the code fence
  let fenced = false;
  let ticks = 0;
  // where we are, for errors
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  let tail = '';
  // the entries of the open containers
  let openEntries = 0;
  // the last snapshot, while nothing changed
  let snapshot: unknown;
  let snapshotValid = true;

  const position = (at: number): JsonPosition => ({ offset: at, line, column: at - lineStart + 1 });

  let failed: ParseError | undefined;
  const fail = (text: string, i: number, expected: string): never => {
    const at = offset + i;
    const where = position(at);
    const before = (tail + text.slice(0, i)).slice(-CONTEXT);
    const got = i < text.length ? text[i] : '';
    failed = new ParseError({
      kind: 'json',
      message: `invalid JSON at line ${where.line}, column ${where.column} (character ${at}): expected ${expected}, got ${shown(got)}`,
      raw: before + text.slice(i, i + 40),
      at: where,
    });
    throw failed;
  };

  /** The innermost container closes. */
  const pop = (): Frame => {
    const frame = stack.pop()!;
    openEntries -= frame.size;
    return frame;
  };

  /** A value is complete: it goes into its container (or is the root). */
  const put = (value: unknown) => {
    const frame = stack[stack.length - 1];
    if (!frame) {
      root = value;
      state = AFTER_ROOT;
      return;
    }
    if (frame.array) frame.array.push(value);
    else setKey(frame.object!, frame.key, value);
    frame.size++;
    openEntries++;
    state = AFTER;
  };

  /** A value starts at `c`; returns whether the value changed (a visible start). */
  const startValue = (text: string, i: number, c: number): boolean => {
    started = true;
    switch (c) {
      case 34: // "
        state = STRING;
        isKey = false;
        str = '';
        held = '';
        return true;
      case 123: // {
        stack.push({ array: undefined, object: {}, key: '', size: 0 });
        state = KEY_OR_END;
        return true;
      case 91: // [
        stack.push({ array: [], object: undefined, key: '', size: 0 });
        state = VALUE_OR_END;
        return true;
      case 116: // t
      case 102: // f
      case 110: // n
        literal = c === 116 ? 'true' : c === 102 ? 'false' : 'null';
        token = text[i];
        state = LITERAL;
        return false;
      default:
        if (c === 45 || isDigit(c)) {
          token = text[i];
          numberState = c === 45 ? N_SIGN : c === 48 ? N_ZERO : N_INT;
          state = NUMBER;
          return false;
        }
        return fail(text, i, 'a JSON value');
    }
  };

  /** The number read so far ends here: valid, it is put in place. */
  const endNumber = (text: string, i: number) => {
    if (numberState !== N_ZERO && numberState !== N_INT && numberState !== N_FRAC && numberState !== N_EXP_DIGITS) {
      fail(text, i, numberState === N_SIGN || numberState === N_DOT ? 'a digit' : 'a digit of the exponent');
    }
    put(Number(token));
    token = '';
  };

  const parser: PartialJsonParser = {
    feed(text) {
      // after an error nothing more is read: the same error again
      if (failed) throw failed;
      let changed = false;
      const n = text.length;
      let i = 0;
      try {
      while (i < n) {
        const c = text.charCodeAt(i);
        switch (state) {
          case STRING: {
            // a run of plain characters, appended as one slice
            let j = i;
            let d = c;
            while (d !== 34 && d !== 92 && d >= 0x20) {
              if (++j === n) break;
              d = text.charCodeAt(j);
            }
            if (j > i) {
              let end = j;
              // a high surrogate last in the slice waits for its low half
              const last = j === n ? text.charCodeAt(j - 1) : 0;
              if (isHighSurrogate(last)) end = j - 1;
              if (end > i || held) {
                str += held + text.slice(i, end);
                if (!isKey) changed = true;
                held = end < j ? text[end] : '';
              } else held = text[end];
              i = j;
              if (j === n) continue;
            }
            if (d === 34) {
              if (held) {
                str += held;
                held = '';
                if (!isKey) changed = true;
              }
              if (isKey) {
                stack[stack.length - 1].key = str;
                state = COLON;
              } else put(str);
              str = '';
            } else if (d === 92) state = ESCAPE;
            else fail(text, i, 'a character of a string (a control character must be escaped)');
            i++;
            continue;
          }
          case ESCAPE: {
            let ch: string;
            switch (c) {
              case 34: ch = '"'; break;
              case 92: ch = '\\'; break;
              case 47: ch = '/'; break;
              case 98: ch = '\b'; break;
              case 102: ch = '\f'; break;
              case 110: ch = '\n'; break;
              case 114: ch = '\r'; break;
              case 116: ch = '\t'; break;
              case 117:
                state = UNICODE;
                hex = '';
                i++;
                continue;
              default:
                return fail(text, i, 'an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
            }
            str += held + ch;
            held = '';
            if (!isKey) changed = true;
            state = STRING;
            i++;
            continue;
          }
          case UNICODE: {
            if (!(isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) fail(text, i, 'a hexadecimal digit of \\uXXXX');
            hex += text[i];
            i++;
            if (hex.length < 4) continue;
            const code = parseInt(hex, 16);
            if (isHighSurrogate(code)) {
              // shown with what follows it: its low half, normally
              if (held) {
                str += held;
                if (!isKey) changed = true;
              }
              held = String.fromCharCode(code);
            } else {
              str += held + String.fromCharCode(code);
              held = '';
              if (!isKey) changed = true;
            }
            state = STRING;
            continue;
          }
          case NUMBER: {
            let ok = true;
            switch (numberState) {
              case N_SIGN:
                if (c === 48) numberState = N_ZERO;
                else if (isDigit(c)) numberState = N_INT;
                else ok = false;
                break;
              case N_ZERO:
              case N_INT:
                if (c === 46) numberState = N_DOT;
                else if (c === 101 || c === 69) numberState = N_EXP;
                else if (numberState === N_INT && isDigit(c)) break;
                else ok = false;
                break;
              case N_DOT:
              case N_FRAC:
                if (isDigit(c)) numberState = N_FRAC;
                else if (numberState === N_FRAC && (c === 101 || c === 69)) numberState = N_EXP;
                else ok = false;
                break;
              case N_EXP:
                if (c === 43 || c === 45) numberState = N_EXP_SIGN;
                else if (isDigit(c)) numberState = N_EXP_DIGITS;
                else ok = false;
                break;
              default: // N_EXP_SIGN, N_EXP_DIGITS
                if (isDigit(c)) numberState = N_EXP_DIGITS;
                else ok = false;
            }
            if (ok) {
              token += text[i];
              i++;
              continue;
            }
            // the number ends here; this character is read again in the state after it
            endNumber(text, i);
            changed = true;
            continue;
          }
          case LITERAL: {
            if (c !== literal.charCodeAt(token.length)) fail(text, i, `${JSON.stringify(literal)}`);
            token += text[i];
            i++;
            if (token.length === literal.length) {
              put(LITERALS[literal]);
              token = '';
              changed = true;
            }
            continue;
          }
          default:
            break;
        }
        // the states between tokens
        if (isSpace(c) && state !== FENCE_OPEN && state !== FENCE_TAG) {
          if (c === 10) {
            line++;
            lineStart = offset + i + 1;
          }
          i++;
          continue;
        }
        switch (state) {
          case BEFORE:
            if (c === 96) {
              fenced = true;
              ticks = 1;
              state = FENCE_OPEN;
            } else if (startValue(text, i, c)) changed = true;
            break;
          case FENCE_OPEN:
            if (c === 96) ticks++;
            else if (ticks < 3) fail(text, i, 'a code fence (```)');
            else {
              state = FENCE_TAG;
              continue;
            }
            break;
          case FENCE_TAG:
            if (isSpace(c)) {
              state = VALUE;
              continue;
            }
            if (!/[\w.+-]/.test(text[i])) {
              state = VALUE;
              continue;
            }
            break;
          case VALUE:
            if (startValue(text, i, c)) changed = true;
            break;
          case VALUE_OR_END:
            if (c === 93) {
              const frame = pop();
              put(frame.array);
            } else if (startValue(text, i, c)) changed = true;
            break;
          case KEY_OR_END:
          case KEY:
            if (c === 34) {
              state = STRING;
              isKey = true;
              str = '';
              held = '';
            } else if (c === 125 && state === KEY_OR_END) {
              const frame = pop();
              put(frame.object);
            } else fail(text, i, state === KEY_OR_END ? "a key (a string) or '}'" : 'a key (a string)');
            break;
          case COLON:
            if (c === 58) state = VALUE;
            else fail(text, i, "':' after a key");
            break;
          case AFTER: {
            const frame = stack[stack.length - 1];
            if (c === 44) state = frame.array ? VALUE : KEY;
            else if (frame.array && c === 93) put(pop().array);
            else if (frame.object && c === 125) put(pop().object);
            else fail(text, i, frame.array ? "',' or ']' after an element" : "',' or '}' after a value");
            break;
          }
          case AFTER_ROOT:
            if (c === 96 && fenced) {
              ticks = 1;
              state = FENCE_CLOSE;
            } else fail(text, i, fenced ? 'the closing code fence (```) after the JSON value' : 'the end of the text after the JSON value');
            break;
          case FENCE_CLOSE:
            if (c === 96) ticks++;
            else fail(text, i, 'the end of the text after the closing code fence');
            if (ticks >= 3) state = DONE;
            break;
          default: // DONE
            if (c === 96) break;
            fail(text, i, 'the end of the text after the closing code fence');
        }
        i++;
      }
      } finally {
        // what came before an error stays parsed and shows in the next value()
        if (changed) snapshotValid = false;
      }
      tail = n >= CONTEXT ? text.slice(n - CONTEXT) : (tail + text).slice(-CONTEXT);
      offset += n;
      return changed;
    },

    end() {
      if (failed) throw failed;
      if (state === NUMBER && stack.length === 0) {
        endNumber('', 0);
        snapshotValid = false;
        return true;
      }
      if (state === AFTER_ROOT || state === FENCE_CLOSE || state === DONE) return false;
      const inside =
        state === BEFORE || state === FENCE_OPEN || state === FENCE_TAG || (state === VALUE && stack.length === 0)
          ? 'a JSON value'
          : state === STRING || state === ESCAPE || state === UNICODE
            ? `the rest of the ${isKey ? 'key' : 'string'}`
            : `the rest of the ${stack[stack.length - 1]?.array ? 'array' : 'object'}`;
      return fail('', 0, inside);
    },

    value() {
      if (snapshotValid && snapshot !== undefined) return snapshot;
      let value: unknown;
      if (stack.length === 0) value = state === STRING || state === ESCAPE || state === UNICODE ? str : root;
      else {
        // from the innermost open value out: each open container copied with its open child last
        let child: unknown = str;
        let hasChild = state === STRING || state === ESCAPE || state === UNICODE ? !isKey : false;
        for (let k = stack.length - 1; k >= 0; k--) {
          const frame = stack[k];
          if (frame.array) {
            const copy = frame.array.slice();
            if (hasChild) copy.push(child);
            child = copy;
          } else {
            const copy = { ...frame.object };
            if (hasChild) setKey(copy, frame.key, child);
            child = copy;
          }
          hasChild = true;
        }
        value = child;
      }
      if (!started) value = undefined;
      snapshot = value;
      snapshotValid = true;
      return value;
    },

    get complete() {
      return state === AFTER_ROOT || state === FENCE_CLOSE || state === DONE;
    },
    get offset() {
      return offset;
    },
    get openEntries() {
      return openEntries;
    },
  };
  return parser;
}
