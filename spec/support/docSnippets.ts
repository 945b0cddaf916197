import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository's root folder. */
const ROOT = join(__dirname, '../..');

/** A fenced TypeScript block (```ts or ```typescript) of README.md or docs/. */
export interface DocSnippet {
  /** the Markdown file, relative to the repository's root: `README.md`, `docs/providers.md` */
  file: string;
  /** the line of the opening fence (1-based) */
  line: number;
  /** the heading the block is under ('' before the first one) */
  section: string;
  /** the block's text, as the reader sees it */
  code: string;
  /**
   * What the block takes from the code around it, when it is a fragment: the hidden
   * `<!-- ts-check: <reason>` comment right before the fence, whose lines after the first are
   * TypeScript declarations compiled before the block (see `docSnippets`).
   */
  given?: {
    reason: string;
    code: string;
    /** the line of the comment's first line of code (1-based) */
    line: number;
  };
}

/** README.md and every Markdown file of docs/ (the generated API reference, docs/api, left out), in order. */
export function docFiles(): string[] {
  const walk = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((entry) => {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) return path === join(ROOT, 'docs', 'api') ? [] : walk(path);
        return entry.name.endsWith('.md') ? [path] : [];
      });
  return [join(ROOT, 'README.md'), ...walk(join(ROOT, 'docs'))].map((path) => relative(ROOT, path));
}

/** A `<!-- ts-check: reason` comment, its declarations on the lines after it, ended by `-->`. */
const GIVEN = /^<!-- ts-check: (.*)$/;

/**
 * Every fenced TypeScript block of README.md and docs/ (```ts or ```typescript; other fences are
 * skipped whole). A block that is a fragment — it uses the reader's own `app`, `ui` or `messages` —
 * says so in an HTML comment right before it (blank lines between allowed), invisible on the
 * rendered page: its first line `<!-- ts-check: <why the block is a fragment>`, then TypeScript
 * declarations of what it takes from around it (`declare const ui: …`, `import type` lines), then
 * `-->`. Everything else a block uses, it imports itself.
 *
 * @example
 * <!-- ts-check: the page's own UI
 * declare const ui: { append(text: string): void };
 * -->
 * ```ts
 * import { streamChat$ } from 'rxllm';
 * streamChat$('openai', [{ role: 'user', content: 'Hi' }]).subscribe((chunk) => chunk.content && ui.append(chunk.content));
 * ```
 */
export function docSnippets(files: readonly string[] = docFiles()): DocSnippet[] {
  const snippets: DocSnippet[] = [];
  for (const file of files) {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    let section = '';
    /** the comment most recently closed, until a line other than a blank one follows it */
    let given: DocSnippet['given'];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const open = /^(`{3,})\s*(\w*)/.exec(line);
      if (open) {
        const end = lines.findIndex((l, j) => j > i && l.startsWith(open[1]) && l.slice(open[1].length).trim() === '');
        if (end < 0) throw new Error(`${file}:${i + 1}: a fence that is never closed`);
        if (open[2] === 'ts' || open[2] === 'typescript') {
          snippets.push({ file, line: i + 1, section, code: lines.slice(i + 1, end).join('\n') + '\n', ...(given ? { given } : {}) });
        } else if (given) {
          throw new Error(`${file}:${i + 1}: a ts-check comment before a block that is not TypeScript`);
        }
        given = undefined;
        i = end;
        continue;
      }
      const comment = GIVEN.exec(line);
      if (comment) {
        const end = lines.findIndex((l, j) => j > i && l.trim() === '-->');
        if (end < 0) throw new Error(`${file}:${i + 1}: a ts-check comment that is never closed (\`-->\` on a line of its own)`);
        given = { reason: comment[1].trim(), code: lines.slice(i + 1, end).join('\n') + '\n', line: i + 2 };
        i = end;
        continue;
      }
      if (line.trim() === '') continue;
      if (given) throw new Error(`${file}:${given.line - 1}: a ts-check comment not right before a TypeScript block`);
      const heading = /^#+\s+(.*)$/.exec(line);
      if (heading) section = heading[1].trim();
    }
  }
  return snippets;
}
