import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { docSnippets, type DocSnippet } from '../support/docSnippets';

const ROOT = join(__dirname, '../..');

/** `paths` sending `rxllm` and each subpath to the declarations its exports map names for `import` (dist/, built by `npm test`) */
function packagePaths(): Record<string, string[]> {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const paths: Record<string, string[]> = {};
  for (const [subpath, target] of Object.entries<{ import?: { types?: string } }>(manifest.exports)) {
    const types = target?.import?.types;
    if (types) paths[`rxllm${subpath.slice(1)}`] = [join(ROOT, types)];
  }
  return paths;
}

/** Where a snippet's file is, for the compiler: beside the repository's node_modules (rxjs, ioredis, @types/node), never on disk. */
const virtualPath = (snippet: DocSnippet) => join(ROOT, '.doc-snippets', `${snippet.file.replace(/[/.]/g, '_')}_${snippet.line}.ts`);

/**
 * Type-checks snippets in one program, each a module of its own (its hidden declarations first), as
 * a user's strict project on Node reads the built package: the errors, each at its line of the
 * Markdown file (`README.md:58: Cannot find name 'messages'.`), and every name the package's entries
 * export (`rxllm`, `rxllm/redis`, `rxllm/providers/openai`, …).
 */
function checkSnippets(snippets: readonly DocSnippet[]): { errors: string[]; packageNames: Set<string> } {
  const paths = packagePaths();
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    moduleDetection: ts.ModuleDetectionKind.Force,
    // a Node project's (no DOM: no snippet needs it, and it is a tenth of the check's time)
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules', '@types')],
    paths,
  };
  const texts = new Map(snippets.map((snippet) => [virtualPath(snippet), (snippet.given?.code ?? '') + snippet.code]));
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (path) => texts.has(path) || fileExists.call(host, path);
  host.readFile = (path) => texts.get(path) ?? readFile.call(host, path);
  host.getSourceFile = (path, language, ...rest) => {
    const text = texts.get(path);
    return text === undefined ? getSourceFile.call(host, path, language, ...rest) : ts.createSourceFile(path, text, language);
  };
  // the entries too, for their names (skipLibCheck: declarations are read, not checked)
  const entries = Object.entries(paths).flatMap(([name, [file]]) =>
    name.endsWith('/*') ? ts.sys.readDirectory(join(file, '..'), ['.d.mts'], undefined, ['*.d.mts']) : [file],
  );
  const program = ts.createProgram([...texts.keys(), ...entries], options, host);
  const where = new Map(snippets.map((snippet) => [virtualPath(snippet), snippet]));
  const errors = ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const snippet = d.file && where.get(d.file.fileName);
    if (!snippet || d.start === undefined) return `${d.file?.fileName ?? '(program)'}: ${message}`;
    const line = d.file!.getLineAndCharacterOfPosition(d.start).line;
    const givenLines = snippet.given ? snippet.given.code.split('\n').length - 1 : 0;
    const at = line < givenLines ? `${snippet.given!.line + line} (ts-check comment)` : `${snippet.line + 1 + line - givenLines}`;
    return `${snippet.file}:${at}: ${message}`;
  });

  const checker = program.getTypeChecker();
  const packageNames = new Set<string>();
  for (const file of entries) {
    const symbol = checker.getSymbolAtLocation(program.getSourceFile(file)!);
    for (const exported of symbol ? checker.getExportsOfModule(symbol) : []) packageNames.add(exported.name);
  }
  return { errors, packageNames };
}

/** The names a snippet's hidden declarations introduce, and the statements in them that are neither a `declare` nor a type-only import. */
function givenDeclarations(code: string): { names: string[]; others: string[] } {
  const source = ts.createSourceFile('given.ts', code, ts.ScriptTarget.ES2022);
  const names: string[] = [];
  const others: string[] = [];
  const declared = (node: ts.Node) => ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly) continue;
    if (ts.isVariableStatement(statement) && declared(statement)) {
      for (const d of statement.declarationList.declarations) names.push(d.name.getText(source));
    } else if (ts.isFunctionDeclaration(statement) && declared(statement) && statement.name) {
      names.push(statement.name.text);
    } else {
      others.push(statement.getText(source));
    }
  }
  return { names, others };
}

/** Snippets with mistakes, of files that do not exist, checked in the same program: the check must find each. */
const MISUSES: DocSnippet[] = [
  {
    file: 'misuse/options.md',
    line: 10,
    section: 'Misuse',
    code: `import { streamChat$ } from 'rxllm';\nstreamChat$('openai', messages, { temprature: 0.2 });\nstreamChat$('opneai', messages);\n`,
    given: { reason: 'the messages', code: `import type { ChatMessage } from 'rxllm';\ndeclare const messages: ChatMesage[];\n`, line: 5 },
  },
  { file: 'misuse/imports.md', line: 3, section: 'Unimported', code: `lastValueFrom(streamChat$('openai', []));\n` },
];

describe('the TypeScript snippets of README.md and docs/ compile against the built package', () => {
  const snippets = docSnippets();
  let checked: ReturnType<typeof checkSnippets>;
  let errors: string[];
  let misuseErrors: string[];
  beforeAll(() => {
    checked = checkSnippets([...snippets, ...MISUSES]);
    errors = checked.errors.filter((e) => !e.startsWith('misuse/'));
    misuseErrors = checked.errors.filter((e) => e.startsWith('misuse/'));
  }, 60_000);

  test('there are snippets to check, in the README and in docs/', () => {
    const files = new Set(snippets.map((s) => s.file));
    expect(files).toContain('README.md');
    expect([...files].filter((f) => f.startsWith('docs/')).length).toBeGreaterThanOrEqual(3);
    expect(snippets.length).toBeGreaterThanOrEqual(20);
  });

  test('every snippet type-checks (strict, Node types), its imports from rxllm, rxjs and node: included', () => {
    expect(errors).toEqual([]);
  });

  test("a fragment's ts-check comment says why, and declares only what the reader's code around it has: no statement, no name of the package", () => {
    const fragments = snippets.filter((s) => s.given);
    console.log(
      [`doc snippets: ${snippets.length} type-checked, ${fragments.length} of them fragments with hidden declarations:`]
        .concat(fragments.map((s) => `  ${s.file}:${s.line} (${s.section}): ${s.given!.reason}`))
        .join('\n'),
    );
    // what the rules catch: a statement, a value import, a name of the package (which would stand in for the API)
    for (const name of ['streamChat$', 'toResponse', 'persistStream', 'startMockServer', 'anthropic', 'FunctionCallHighlight']) expect(checked.packageNames).toContain(name);
    expect(givenDeclarations(`declare function streamChat$(...args: unknown[]): void;\nconst ui = {};\nimport { toResponse } from 'rxllm';\n`)).toEqual({
      names: ['streamChat$'],
      others: ['const ui = {};', "import { toResponse } from 'rxllm';"],
    });
    for (const snippet of fragments) {
      const { names, others } = givenDeclarations(snippet.given!.code);
      const where = `${snippet.file}:${snippet.line}`;
      expect({ where, reason: snippet.given!.reason.length > 0 }).toEqual({ where, reason: true });
      expect({ where, others }).toEqual({ where, others: [] });
      expect({ where, declares: names.length > 0 }).toEqual({ where, declares: true });
      expect({ where, packageNames: names.filter((name) => checked.packageNames.has(name)) }).toEqual({ where, packageNames: [] });
    }
  });

  test('the check is not vacuous: a misuse in a snippet or in its hidden declarations is an error at its line of the Markdown file', () => {
    expect(misuseErrors.sort()).toEqual([
      "misuse/imports.md:4: Cannot find name 'lastValueFrom'.",
      "misuse/imports.md:4: Cannot find name 'streamChat$'.",
      expect.stringMatching(/^misuse\/options\.md:12: .*'temprature' does not exist/),
      expect.stringMatching(/^misuse\/options\.md:13: Argument of type '"opneai"' is not assignable/),
      expect.stringMatching(/^misuse\/options\.md:6 \(ts-check comment\): Cannot find name 'ChatMesage'/),
    ]);
  });
});
