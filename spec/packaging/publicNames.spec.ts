import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');

/**
 * The public names of every entry of the package, as a user imports them: `values` are what exists
 * at run time (functions, classes, constants, io-ts codecs, which are also types), `types` what
 * exists only for TypeScript. A change here is a change of the public API: add or remove a name in
 * the entry's index.ts and in this list together, and say so in the closing note. Internal helpers
 * (wire codecs, mappers, request builders, decoders' parts) are imported by their files, never
 * through an entry. See docs/decisions.md, "Public entries".
 */
const PUBLIC_NAMES: Record<string, { values: readonly string[]; types: readonly string[] }> = {
  '.': {
    values: [
      'AbortError', 'accumulate', 'bufferChunks', 'BufferChunksConfig', 'ChatMessage', 'ChatResponse', 'ChatRole',
      'ChatToolCall', 'Chunk', 'ChunkValidationError', 'ChunkValidator', 'Citation', 'CitedLocation', 'ConfigError', 'ContentPart',
      'CoordinatorOptions', 'costOf', 'createChatRelay', 'createOpenAICompatibleProvider', 'createResponseAccumulator', 'DEFAULT_RELAY_ALLOW', 'DEFAULT_TIMEOUT',
      'exhaustedForMs', 'FilePart', 'FinishReason', 'formatServerSentEvent', 'getProvider', 'HttpError', 'ImagePart', 'isAbortError',
      'isChunkValidationError', 'isConfigError', 'isHttpError', 'isLocalServerError', 'isNoObjectError', 'isOutputValidationError', 'isParseError',
      'isProviderStreamError', 'isQualityError', 'isRxllmError', 'isStoredStreamError', 'isStreamInterruptedError',
      'isStreamNotFoundError', 'isStreamTimeoutError', 'jsonSchemaOf', 'LocalServerError', 'memoryRelayStore', 'NoObjectError', 'OutputOption', 'OutputValidationError',
      'ParseError', 'partialObjects', 'pipeToResponse', 'PipeToResponseConfig', 'PriceTable',
      'providerIds', 'ProviderStreamError', 'publicErrorFields', 'QualityError', 'rateLimitHint', 'recoverStream',
      'RecoverStreamConfig', 'registerProvider', 'RequestOptions', 'RxllmError', 'StoredStreamError', 'streamChat$',
      'StreamChatOptions', 'StreamInterruptedError', 'streamMany$', 'StreamNotFoundError', 'StreamTimeoutError',
      'Telemetry', 'TextPart', 'ThinkingBlock', 'TimeoutConfig', 'toAssistantMessage', 'toMessages', 'toObject', 'tool', 'ToolCall', 'ToolCallDelta', 'ToolDefinition', 'toResponse', 'toServerSentEvents',
      'trackMetrics', 'TrackMetricsConfig', 'transformChunk', 'Usage', 'validateChunk', 'ValidateChunkConfig',
    ],
    types: [
      'AttemptRecord', 'ChatRelay', 'ChatRelayConfig', 'ChunkCheck', 'ChunkMetadata', 'CodecIssue', 'Cost', 'DecoderContext', 'FeatureContext',
      'HttpErrorInit', 'HttpRequest', 'JsonSchema', 'LocalServerErrorKind', 'ManyEvent', 'ManyMetrics', 'ManyRequest', 'ModelPrice',
      'NoObjectReason', 'OpenAICompatibleConfig', 'ParseErrorKind', 'PartialObject', 'PriceFunction', 'Provider', 'ProviderId', 'ProviderLimits', 'ProviderOptionsById',
      'ProviderOptionsOf', 'PublicErrorFields',
      'QualityErrorIssue', 'RateLimiter', 'RateLimitHint', 'RateLimitRequest', 'RecoveryStrategy', 'RelayRequest', 'RelayRequestBody',
      'RelayResponse', 'RelayStart', 'RelayStore', 'ResolvedOptions',
      'ResponseAccumulator', 'ResponseInfo', 'ResumeAttempt', 'ResumeRequest', 'RetryEvent', 'RxllmErrorOptions',
      'SchemaMode', 'ServerSentEvent', 'SseResponse', 'StepMetrics', 'StreamDecoder', 'StreamManyConfig', 'StreamMetrics', 'StreamNotFoundReason',
      'StreamTimeoutKind', 'TelemetryOutcome', 'TelemetryParameters', 'TelemetryRequest', 'TelemetryRun', 'TimeoutLimits', 'ToolContext', 'ToolResult', 'WireEvent',
    ],
  },
  'operators': {
    values: [
      'accumulate', 'bufferChunks', 'BufferChunksConfig', 'ChunkValidator', 'formatServerSentEvent', 'partialObjects',
      'pipeToResponse', 'PipeToResponseConfig', 'recoverStream', 'RecoverStreamConfig', 'toMessages', 'toObject', 'toResponse', 'toServerSentEvents', 'trackMetrics',
      'TrackMetricsConfig', 'transformChunk', 'validateChunk', 'ValidateChunkConfig',
    ],
    types: [
      'AttemptRecord', 'PartialObject', 'RecoveryStrategy', 'ResumeAttempt', 'ResumeRequest', 'ServerSentEvent', 'SseResponse',
      'StepMetrics', 'StreamMetrics',
    ],
  },
  'testing': {
    values: [
      'answerFor', 'asMockFault', 'continuationOf', 'freePort', 'hashText', 'haveRedisServer', 'mockBaseURL',
      'promptOf', 'REDIS_SERVER', 'seededRandom', 'startMockServer', 'startRedisServer', 'tokenize',
    ],
    types: [
      'AnswerHeaders', 'FramedStream', 'JsonResult', 'MockAnswerOptions', 'MockFault', 'MockMessage', 'MockRequest',
      'MockRequestEnd', 'MockServer', 'MockServerOptions', 'MockStatusFault', 'MockTool', 'MockToolCall', 'MockTurn',
      'RedisServer', 'Route', 'RouteInput', 'RouteResult', 'StreamResult',
    ],
  },
  'redis': {
    values: [
      'isStoredStreamError', 'isStreamNotFoundError', 'persistStream', 'PersistStreamConfig', 'resumeStream$',
      'redisRelayStore', 'ResumeStreamConfig', 'sharedRateLimit', 'SharedRateLimitConfig', 'StoredStreamError', 'StreamNotFoundError',
    ],
    types: ['StoredStreamEnd'],
  },
  'otel': {
    values: ['otelTelemetry'],
    types: ['OtelTelemetryConfig'],
  },
  'providers/anthropic': {
    values: ['annotateReasoning', 'anthropic', 'AnthropicOptions', 'createRepetitionDetector', 'RepetitionConfig', 'validateQuality', 'ValidateQualityConfig'],
    types: ['QualityIssue', 'QualityReport', 'ReasoningAnnotation', 'RepetitionDetector', 'RepetitionFinding'],
  },
  'providers/azure': {
    values: ['azure', 'AzureOptions', 'azureResponses', 'AzureResponsesOptions', 'AzureTokenProvider'],
    types: [],
  },
  'providers/gemini': {
    values: ['gemini', 'GeminiOptions', 'GeminiSafetySetting', 'GeminiThinkingOptions'],
    types: [],
  },
  'providers/lmstudio': {
    values: ['lmstudio', 'LMStudioOptions', 'showPerformance', 'ShowPerformanceConfig', 'validateLocal', 'ValidateLocalConfig'],
    types: ['LMStudioModelInfo', 'LMStudioPerformance', 'LMStudioRuntime', 'LMStudioServerToolCall', 'LMStudioStats'],
  },
  'providers/mistral': {
    values: ['CodeFenceTracker', 'formatCodeBlocks', 'mistral', 'MistralOptions'],
    types: ['ClosedCodeBlock', 'CodeBlockRef', 'CompletedCodeBlock', 'FenceStep'],
  },
  'providers/ollama': {
    values: ['ollama', 'OllamaOptions'],
    types: ['OllamaTimingMetadata'],
  },
  'providers/openai-compatible': {
    values: ['createOpenAICompatibleDecoder', 'createOpenAICompatibleProvider', 'OpenAIWireChunk'],
    types: ['OpenAICompatibleConfig', 'OpenAICompatibleDecoderHooks', 'OpenAICompatibleExtrasMapper'],
  },
  'providers/openai': {
    values: [
      'contentModeration', 'ContentModerationConfig', 'createOpenAIModerationCheck', 'highlightFunctionCalls',
      'HighlightFunctionCallsConfig', 'openai', 'OpenAIOptions',
    ],
    types: ['FunctionCallHighlight', 'ModerationCheck', 'ModerationReport', 'ModerationVerdict'],
  },
  'providers/openai-responses': {
    values: ['openaiResponses', 'OpenAIResponsesOptions'],
    types: [],
  },
  'providers/rxllm': {
    values: ['rxllmRelay'],
    types: [],
  },
  'providers/perplexity': {
    values: ['inlineCitations', 'InlineCitationsConfig', 'perplexity', 'PerplexityOptions', 'validateSources', 'ValidateSourcesConfig'],
    types: ['CitationFormat', 'DroppedSource', 'InvalidSource', 'InvalidSourceReason'],
  },
};

/**
 * rxllm/core is the root entry without the provider registry (its `streamChat$` takes provider
 * objects) and without the relay's server half (a server's, not a page's): every root name but these.
 */
const ROOT_ONLY = {
  values: ['createChatRelay', 'DEFAULT_RELAY_ALLOW', 'getProvider', 'memoryRelayStore', 'providerIds', 'registerProvider', 'streamMany$'],
  types: [
    'ChatRelay', 'ChatRelayConfig', 'ManyEvent', 'ManyMetrics', 'ManyRequest', 'ProviderId', 'ProviderLimits', 'ProviderOptionsById', 'ProviderOptionsOf',
    'RelayRequest', 'RelayRequestBody', 'RelayResponse', 'RelayStart', 'RelayStore', 'StreamManyConfig',
  ],
};
PUBLIC_NAMES.core = {
  values: PUBLIC_NAMES['.'].values.filter((name) => !ROOT_ONLY.values.includes(name)),
  types: PUBLIC_NAMES['.'].types.filter((name) => !ROOT_ONLY.types.includes(name)),
};

/** The subpaths of the exports map, `./providers/*` expanded to the built provider entries. */
function exportedSubpaths(): string[] {
  const exportsMap = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).exports as Record<string, unknown>;
  const subpaths: string[] = [];
  for (const key of Object.keys(exportsMap)) {
    if (key === './package.json') continue;
    if (key === './providers/*') {
      for (const file of readdirSync(join(DIST, 'providers'))) if (file.endsWith('.cjs')) subpaths.push(`providers/${file.slice(0, -'.cjs'.length)}`);
    } else subpaths.push(key === '.' ? '.' : key.slice(2));
  }
  return subpaths.sort();
}

const built = (entry: string, extension: string) => join(DIST, `${entry === '.' ? 'index' : entry}${extension}`);

/** The names a declaration file exports (`export { a, b as c }`, `export type { T }`, `export declare …`). */
function declaredNames(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      if (!statement.exportClause || !ts.isNamedExports(statement.exportClause)) throw new Error(`${file}: \`export *\` hides which names are public`);
      for (const element of statement.exportClause.elements) names.push(element.name.text);
    } else if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) names.push(d.name.getText(source));
      else names.push((statement as ts.DeclarationStatement).name!.getText(source));
    }
  }
  return names;
}

const sorted = (names: Iterable<string>) => [...names].sort();

describe('the public names of each entry', () => {
  beforeAll(() => {
    if (!existsSync(built('.', '.cjs'))) throw new Error('dist/ is missing: run `npm run build` first');
  });

  test('every entry of the exports map has its list, and every list an entry', () => {
    expect(exportedSubpaths()).toEqual(sorted(Object.keys(PUBLIC_NAMES)));
  });

  test('no name is listed twice or as both a value and a type', () => {
    for (const { values, types } of Object.values(PUBLIC_NAMES)) {
      expect(new Set([...values, ...types]).size).toBe(values.length + types.length);
    }
  });

  describe.each(Object.keys(PUBLIC_NAMES))('%s', (entry) => {
    const { values, types } = PUBLIC_NAMES[entry];

    test('exports the listed values at run time', () => {
      const module = require(built(entry, '.cjs')) as Record<string, unknown>;
      expect(sorted(Object.keys(module))).toEqual(sorted(values));
    });

    test.each(['.d.mts', '.d.cts'])('its declarations (%s) export the listed values and types', (extension) => {
      expect(sorted(declaredNames(built(entry, extension)))).toEqual(sorted([...values, ...types]));
    });
  });
});
