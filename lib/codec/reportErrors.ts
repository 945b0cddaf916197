import * as t from 'io-ts';

const SECRET_KEYS = /^(apiKey|authorization|x-api-key|x-goog-api-key|api-key|headers|secrets|azureADTokenProvider|proxy)$/i;

export interface CodecIssue {
  /** dotted path to the failing value, e.g. `timeout.idleMs` or `messages.0.role` */
  path: string;
  /** what the codec expected, e.g. `a positive number` */
  expected: string;
  /** the value that arrived, rendered short (secrets replaced by `<redacted>`) */
  got: string;
}

/**
 * Turns io-ts validation errors into readable issues. Of the branches of a union only the
 * deepest failures are kept: for `timeout: number | { idleMs }` given `{ idleMs: "soon" }` the
 * useful message is `timeout.idleMs: expected a positive number, got "soon"`, not that
 * `timeout` is not a number.
 */
export function reportErrors(errors: t.Errors): CodecIssue[] {
  const issues: Array<CodecIssue & { depth: number; root: string }> = [];
  for (const error of errors) {
    const keys: string[] = [];
    let secret = false;
    const ctx = error.context;
    for (let i = 1; i < ctx.length; i++) {
      const parent = ctx[i - 1].type;
      // keys that select a union branch or an intersection member are not part of the path
      if (parent instanceof t.UnionType || parent instanceof t.IntersectionType) continue;
      keys.push(ctx[i].key);
      if (SECRET_KEYS.test(ctx[i].key)) secret = true;
    }
    const leaf = namedWhole(ctx);
    issues.push({
      path: keys.join('.') || '(root)',
      expected: leaf.type.name,
      // a codec may say how its failing value is shown (`t.failure(value, context, shown)`), e.g. a client object never rendered
      got: secret ? '<redacted>' : error.message ?? render(error.value),
      depth: keys.length,
      root: keys[0] ?? '',
    });
  }
  // Keep, per top-level key, only the deepest failures; the branches that failed at the same
  // path are merged into one issue (`expected a string or null`).
  const deepest = new Map<string, number>();
  for (const i of issues) deepest.set(i.root, Math.max(deepest.get(i.root) ?? 0, i.depth));
  const byPath = new Map<string, CodecIssue>();
  for (const i of issues) {
    if (i.depth !== deepest.get(i.root)) continue;
    const known = byPath.get(i.path);
    if (!known) byPath.set(i.path, { path: i.path, expected: i.expected, got: i.got });
    else if (!known.expected.split(' or ').includes(i.expected)) known.expected += ` or ${i.expected}`;
  }
  return [...byPath.values()];
}

/**
 * The issues re-based under `path`: an operator's `size` becomes `bufferChunks.size` when the
 * operator's configuration is the `bufferChunks` option of `streamChat$`, and its `(root)` becomes
 * `bufferChunks`.
 *
 * @example
 * issuesUnder('bufferChunks', [{ path: 'size', expected: 'a positive integer', got: '0' }]);
 * // [{ path: 'bufferChunks.size', expected: 'a positive integer', got: '0' }]
 */
export function issuesUnder(path: string, issues: readonly CodecIssue[]): CodecIssue[] {
  return issues.map((issue) => ({ ...issue, path: issue.path === '(root)' ? path : `${path}.${issue.path}` }));
}

/**
 * The context entry that names what was expected: the failing type's, unless the value failed a
 * member of a named intersection as a whole (`42` for `{ validate, onInvalid? }`): then the
 * intersection's name, not that of each of its members.
 */
function namedWhole(ctx: t.Context): t.ContextEntry {
  let at = ctx.length - 1;
  while (at > 0) {
    const parent = ctx[at - 1].type;
    if (!(parent instanceof t.IntersectionType)) break;
    const defaultName = `(${(parent.types as t.Mixed[]).map((member) => member.name).join(' & ')})`;
    if (parent.name === defaultName) break;
    at -= 1;
  }
  return ctx[at];
}

export function formatIssue(issue: CodecIssue): string {
  return `${issue.path}: expected ${issue.expected}, got ${issue.got}`;
}

/** A short, one-line rendering of any value for an error message. */
export function render(value: unknown, max = 60): string {
  let s: string;
  if (value === undefined) s = 'undefined';
  else if (typeof value === 'function') s = `a function${value.name ? ` (${value.name})` : ''}`;
  else if (typeof value === 'bigint') s = `${value}n`;
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = Object.prototype.toString.call(value);
    }
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
