/**
 * The layers of rxllm (docs/decisions.md, "The layout shows the layers"), checked in `npm test`
 * by spec/layout/importRule.spec.ts:
 *
 *   lib/ (core: types, errors, codec, transport, the Provider contract)
 *     ↑                 ↑
 *   operators/        providers/          each stands on the core alone
 *     ↑                 ↑
 *   lib/assembly/ (streamChat$, prepareRequest, registry, streamMany$: the only composer)
 *     ↑
 *   entries (lib/index.ts, cli/; rxllm/core's entry is lib/assembly/core.ts), add-ons (redis/, otel/), the mock server (testing/)
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'only-the-assembly-composes',
      comment: 'operators/ and providers/ are composed in lib/assembly/ (and re-exported by the root entry), nowhere else in the core',
      severity: 'error',
      from: { path: '^(lib|redis|otel|testing)/', pathNot: '^lib/(assembly/|index\\.ts$)' },
      to: { path: '^(operators|providers)/' },
    },
    {
      name: 'operators-stand-on-the-core',
      comment: 'an operator knows Chunks, not providers',
      severity: 'error',
      from: { path: '^operators/' },
      to: { path: '^providers/' },
    },
    {
      name: 'providers-stand-on-the-core',
      comment: "a provider's own features are its own; the coordinator's operators are applied by the assembly",
      severity: 'error',
      from: { path: '^providers/' },
      to: { path: '^operators/' },
    },
    {
      name: 'providers-share-only-the-base',
      comment: 'a provider reaches another only through a shared base: the OpenAI-compatible one (Chat Completions) or the Responses API (served by OpenAI, Azure, xAI, LM Studio, …)',
      severity: 'error',
      from: { path: '^providers/([^/]+)/' },
      to: { path: '^providers/', pathNot: ['^providers/$1/', '^providers/openai-compatible/', '^providers/openai-responses/'] },
    },
    {
      name: 'nothing-below-leans-on-the-assembly',
      comment: 'the core, operators, providers and add-ons do not import streamChat$ and its helpers',
      severity: 'error',
      from: { path: '^(lib|operators|providers|redis|otel|testing)/', pathNot: '^lib/(assembly/|index\\.ts$)' },
      to: { path: '^lib/assembly/' },
    },
    {
      name: 'the-library-ships-no-test-code',
      comment: 'the mock server and the CLI are never imported by the library',
      severity: 'error',
      from: { path: '^(lib|operators|providers|redis|otel)/' },
      to: { path: '^(testing|cli|spec|bench|examples)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
