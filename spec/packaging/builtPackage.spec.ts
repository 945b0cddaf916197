import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installPackedPackage, ROOT, run, type PackedPackage } from '../support/packedPackage';

const consumer = (style: 'cjs' | 'esm') => {
  const load =
    style === 'cjs'
      ? `const { streamChat$, toResponse, isConfigError } = require('rxllm');
const { startMockServer, answerFor, mockBaseURL } = require('rxllm/testing');
const { openai } = require('rxllm/providers/openai');
const { trackMetrics } = require('rxllm/operators');
const { lastValueFrom } = require('rxjs');`
      : `import { streamChat$, toResponse, isConfigError } from 'rxllm';
import { startMockServer, answerFor, mockBaseURL } from 'rxllm/testing';
import { openai } from 'rxllm/providers/openai';
import { trackMetrics } from 'rxllm/operators';
import { lastValueFrom } from 'rxjs';`;
  return `${load}
const main = async () => {
  const server = await startMockServer();
  const messages = [{ role: 'user', content: 'hello from ${style}' }];
  const metrics = [];
  const answer = await lastValueFrom(
    streamChat$(openai, messages, { baseURL: mockBaseURL(server, 'openai') }).pipe(trackMetrics({ onMetrics: (m) => metrics.push(m.status) }), toResponse()),
  );
  const bad = await lastValueFrom(streamChat$('openai', messages, { maxTokens: -1 })).catch((e) => e);
  await server.close();
  console.log(JSON.stringify({ content: answer.content, expected: answerFor(messages).text, last: metrics[metrics.length - 1], configError: isConfigError(bad) }));
};
main();
`;
};

describe('the built package, consumed from outside the source tree', () => {
  let packed: PackedPackage;
  let dir: string;
  beforeAll(async () => {
    packed = await installPackedPackage();
    dir = packed.dir;
  }, 120_000);
  afterAll(() => packed?.remove());

  test('the tarball holds the built files, the README and the license, and no sources or tests', () => {
    const files = readdirSync(join(dir, 'node_modules', 'rxllm'));
    expect(files.sort()).toEqual(['LICENSE', 'README.md', 'dist', 'package.json']);
  });

  test("its LICENSE is the repository's, the MIT license that package.json names", () => {
    const license = readFileSync(join(packed.packageDir, 'LICENSE'), 'utf8');
    expect(license).toBe(readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
    expect(license.split('\n').slice(0, 3)).toEqual(['MIT License', '', 'Copyright (c) 2026 rxllm contributors']);
    expect(license).toContain('Permission is hereby granted, free of charge, to any person obtaining a copy');
    expect(JSON.parse(readFileSync(join(packed.packageDir, 'package.json'), 'utf8')).license).toBe('MIT');
  });

  test.each(['cjs', 'esm'] as const)('streams a chat with %s (require / import), operators and the testing entry', async (style) => {
    const file = join(dir, style === 'cjs' ? 'consumer.cjs' : 'consumer.mjs');
    writeFileSync(file, consumer(style));
    const { stdout } = await run(process.execPath, [file], { cwd: dir, env: { ...process.env, OPENAI_API_KEY: '' } });
    const result = JSON.parse(stdout);
    expect(result.content).toBe(result.expected);
    expect(result.content.length).toBeGreaterThan(50);
    expect(result.last).toBe('completed');
    expect(result.configError).toBe(true);
  });

  test('its types resolve for TypeScript consumers of both module kinds', async () => {
    writeFileSync(
      join(dir, 'typed.mts'),
      `import { streamChat$, toResponse, type Chunk, type ChatResponse } from 'rxllm';
import { openai } from 'rxllm/providers/openai';
import { trackMetrics, type StreamMetrics } from 'rxllm/operators';
const chunks = streamChat$(openai, [{ role: 'user', content: 'x' }], { temperature: 0.2 });
const answer = chunks.pipe(trackMetrics({ onMetrics: (m: StreamMetrics) => m.tokensPerSecond }), toResponse());
answer.subscribe((r: ChatResponse) => r.content.toUpperCase());
chunks.subscribe((c: Chunk) => c.content?.length);
`,
    );
    writeFileSync(join(dir, 'typed.cts'), `import { streamChat$, type Chunk } from 'rxllm';\nstreamChat$('openai', []).subscribe((c: Chunk) => c.seq);\n`);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'node16', moduleResolution: 'node16', strict: true, noEmit: true, types: ['node'], skipLibCheck: false }, files: ['typed.mts', 'typed.cts'] }),
    );
    await expect(run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { cwd: dir })).resolves.toBeDefined();
  }, 60_000);
});
