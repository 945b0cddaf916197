import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { answerFor, startMockServer, type MockServer } from '../../testing';
import { docSnippets } from '../support/docSnippets';
import { installPackedPackage, run, type PackedPackage } from '../support/packedPackage';

/**
 * The one substitution: before the README's code runs (`node --import`), every provider it may name
 * by id is registered again under that id with the mock server as its default base URL
 * (`registerProvider` replaces a provider registered before), so the code runs as written, and its
 * keys come from the environment as a user's would.
 */
const MOCK_PROVIDERS = `import { getProvider, providerIds, registerProvider } from 'rxllm';
import { mockBaseURL } from 'rxllm/testing';

const server = { url: process.env.MOCK_URL };
for (const id of providerIds()) registerProvider({ ...getProvider(id), defaultBaseURL: mockBaseURL(server, id) });
`;

describe("the README's \"Use it\" block, run as written against the mock server", () => {
  const [block] = docSnippets(['README.md']).filter((s) => s.section === 'Use it');
  let packed: PackedPackage;
  let server: MockServer;
  let output: { stdout: string; stderr: string };

  beforeAll(async () => {
    [packed, server] = await Promise.all([installPackedPackage(), startMockServer()]);
    // the block compiled as it stands (a module with top-level await), types dropped
    const { outputText } = ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(join(packed.dir, 'useIt.mjs'), outputText);
    writeFileSync(join(packed.dir, 'mockProviders.mjs'), MOCK_PROVIDERS);
    output = await run(process.execPath, ['--import', './mockProviders.mjs', 'useIt.mjs'], {
      cwd: packed.dir,
      env: { ...process.env, MOCK_URL: server.url, OPENAI_API_KEY: 'sk-readme', ANTHROPIC_API_KEY: 'sk-readme' },
    });
  }, 120_000);
  afterAll(async () => {
    packed?.remove();
    await server?.close();
  });

  test('the block stands alone: no hidden declarations, its imports from rxllm and rxjs', () => {
    expect(block.given).toBeUndefined();
    expect(block.code).toMatch(/^import .* from 'rxllm';$/m);
    expect(block.code).toMatch(/^import .* from 'rxjs';$/m);
  });

  test('it prints the streamed OpenAI text as it arrives, and the Ollama answer with its usage at the end; nothing on stderr', () => {
    const question = /content: '([^']+)'/.exec(block.code)![1];
    const text = answerFor([{ role: 'user', content: question }]).text;
    expect(text.length).toBeGreaterThan(100);
    expect(text).not.toContain('{');
    expect(output.stderr).toBe('');
    // console.log(answer.content, answer.usage): one write, wherever it fell among the streamed pieces
    const at = output.stdout.indexOf(`${text} {`);
    expect(at).toBeGreaterThanOrEqual(0);
    const end = output.stdout.indexOf('}\n', at) + 2;
    const logged = output.stdout.slice(at, end);
    expect(logged.slice(text.length)).toMatch(/^ \{ inputTokens: \d+, outputTokens: [1-9]\d*(, [^}]*)? \}\n$/);
    expect(output.stdout.slice(0, at) + output.stdout.slice(end)).toBe(text);
  });

  test('it sent the two requests it subscribes to, OpenAI with its model and key, and none for the Anthropic answer$ it only composes', () => {
    const requests = server.requests.map((r) => ({ method: r.method, path: r.path }));
    expect(requests.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { method: 'POST', path: '/api/chat' },
      { method: 'POST', path: '/v1/chat/completions' },
    ]);
    const openai = server.requests.find((r) => r.path === '/v1/chat/completions')!;
    expect((openai.body as { model: string }).model).toBe('gpt-4o-mini');
    expect(openai.headers.authorization).toBe('Bearer sk-readme');
  });
});
