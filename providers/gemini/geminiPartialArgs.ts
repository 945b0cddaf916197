import type { GeminiWirePartialArg } from './wireResponse';

/**
 * Assembles the arguments of a Vertex streamed function call (`streamFunctionCallArguments`) from
 * its `partialArgs` pieces: each names a JSON path (`$.location`, `$.items[0].name`, `$['a b']`)
 * and a value; a `stringValue` with `willContinue` is continued by the next piece for the same path.
 *
 * @example
 * const args = new GeminiPartialArgs();
 * args.apply({ jsonPath: '$.location', stringValue: 'Bos', willContinue: true });
 * args.apply({ jsonPath: '$.location', stringValue: 'ton' });
 * args.toJSON(); // '{"location":"Boston"}'
 */
export class GeminiPartialArgs {
  private readonly root: Record<string, unknown> = {};
  /** the paths whose string value the next piece continues */
  private readonly continuing = new Set<string>();

  apply(piece: GeminiWirePartialArg): void {
    const path = piece.jsonPath;
    if (!path) return;
    const keys = parseJsonPath(path);
    if (keys.length === 0) return;
    let value: unknown;
    if (typeof piece.stringValue === 'string') {
      const before = this.continuing.has(path) ? read(this.root, keys) : undefined;
      value = typeof before === 'string' ? before + piece.stringValue : piece.stringValue;
    } else if (typeof piece.numberValue === 'number') value = piece.numberValue;
    else if (typeof piece.boolValue === 'boolean') value = piece.boolValue;
    else if ('nullValue' in piece) value = null;
    else return;
    write(this.root, keys, value);
    if (piece.willContinue === true && typeof piece.stringValue === 'string') this.continuing.add(path);
    else this.continuing.delete(path);
  }

  /** the arguments so far, as JSON text */
  toJSON(): string {
    return JSON.stringify(this.root);
  }
}

/** `$.a.b[0]['c d']` → `['a', 'b', 0, 'c d']`; an unreadable path gives `[]`. */
export function parseJsonPath(path: string): Array<string | number> {
  const keys: Array<string | number> = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\[(['"])((?:\\.|(?!\3).)*)\3\]/gy;
  if (!path.startsWith('$')) return keys;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) return [];
    if (m[1] !== undefined) keys.push(m[1]);
    else if (m[2] !== undefined) keys.push(Number(m[2]));
    else keys.push(m[4].replace(/\\(.)/g, '$1'));
  }
  return keys;
}

function read(root: unknown, keys: Array<string | number>): unknown {
  let at: unknown = root;
  for (const key of keys) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

function write(root: Record<string, unknown>, keys: Array<string | number>, value: unknown): void {
  let at: Record<string | number, unknown> = root;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i];
    let next = at[key];
    if (next === null || typeof next !== 'object') {
      next = typeof keys[i + 1] === 'number' ? [] : {};
      at[key] = next;
    }
    at = next as Record<string | number, unknown>;
  }
  at[keys[keys.length - 1]] = value;
}
