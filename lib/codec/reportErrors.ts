import * as t from 'io-ts';

const SECRET_KEYS = /^(apiKey|authorization|x-api-key|x-goog-api-key|api-key|headers)$/i;

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
    const leaf = ctx[ctx.length - 1];
    issues.push({
      path: keys.join('.') || '(root)',
      expected: leaf.type.name,
      got: secret ? '<redacted>' : render(error.value),
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
