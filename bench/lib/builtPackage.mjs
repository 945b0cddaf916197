/**
 * The built rxllm package, loaded the way a user's `require('rxllm')` loads it: through the root
 * package.json's `exports` map (Node's self-reference), so the bench measures `dist/` as published,
 * never the TypeScript sources. rxjs and axios come from the same place rxllm's own imports resolve
 * them (the root node_modules), so there is one copy of each.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const rootPackageJson = fileURLToPath(new URL('../../package.json', import.meta.url));
const rootRequire = createRequire(rootPackageJson);

if (!existsSync(fileURLToPath(new URL('../../dist/index.cjs', import.meta.url)))) {
  throw new Error('bench: dist/ is missing — run `npm run build` at the repository root first (`npm run bench` does it).');
}

/** `require('rxllm')` — streamChat$, toResponse, the operators */
export const rxllm = rootRequire('rxllm');
/** `require('rxllm/testing')` — startMockServer, answerFor, tokenize */
export const rxllmTesting = rootRequire('rxllm/testing');
/** `require('rxllm/providers/openai-compatible')` — for the bench's diagnostic row only */
export const rxllmOpenAICompatible = rootRequire('rxllm/providers/openai-compatible');
/** the io-ts copy rxllm itself uses (for the diagnostic row) */
export const ioTs = rootRequire('io-ts');
/** the rxjs copy rxllm itself uses */
export const rxjs = rootRequire('rxjs');
/** the axios copy rxllm itself uses (for the transport-floor row) */
export const axios = rootRequire('axios');
/** rxllm's version, for the results file */
export const rxllmVersion = rootRequire('rxllm/package.json').version;
/** `require('rxllm/redis')` — persistStream, resumeStream$, sharedRateLimit */
export const rxllmRedis = rootRequire('rxllm/redis');
/** the ioredis copy rxllm/redis resolves (a root devDependency; an optional peer of the package) */
export const ioredis = rootRequire('ioredis');
/** `require('rxllm/otel')` — otelTelemetry (its optional peer @opentelemetry/api from the root node_modules) */
export const rxllmOtel = rootRequire('rxllm/otel');
/** the OpenTelemetry SDK copies (root devDependencies) that share rxllm/otel's @opentelemetry/api, for the tracing row */
export const otelSdkTraceBase = rootRequire('@opentelemetry/sdk-trace-base');
export const otelSdkMetrics = rootRequire('@opentelemetry/sdk-metrics');
