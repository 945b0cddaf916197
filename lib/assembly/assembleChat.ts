import { defer, dematerialize, materialize, merge, Observable, tap, throwError, type MonoTypeOperatorFunction } from 'rxjs';
import { ConfigError } from '../errors/configError';
import { bufferChunks } from '../../operators/bufferChunks';
import { recoverStreamSharing, type ResumeAttempt, type ResumeRequest } from '../../operators/recoverStream';
import { trackMetrics } from '../../operators/trackMetrics';
import { transformChunk, transformChunkSharing } from '../../operators/transformChunk';
import { validateChunk, validateChunkSharing } from '../../operators/validateChunk';
import { createAnswerFold, type SharedAnswer } from '../answerFold';
import { optionUnder } from '../codec/optionUnder';
import { continuationMessages, type ContinuationForm } from './continuationMessages';
import { followContinuations } from './followContinuations';
import { isPrefillRefusal } from './isPrefillRefusal';
import { prepareRequest } from './prepareRequest';
import { rateLimited } from './rateLimited';
import type { Provider } from '../provider';
import type { HttpRequest } from '../transport/httpRequest';
import { streamChunks$ } from '../transport/streamChunks';
import { transportOptionsOf } from '../transport/transportOptions';
import type { ChatMessage } from '../types/chatMessage';
import type { ChatResponse } from '../types/chatResponse';
import type { Chunk } from '../types/chunk';
import type { StreamChatOptions } from './streamChatOptions';
import { toTimeoutLimits } from '../types/timeoutConfig';
import { whenAborted$ } from './whenAborted';
import { runToolSteps } from './runToolSteps';
import { observeRun } from './observeRun';
import { telemetryRequest } from './telemetryRequest';
import type { RetryEvent } from '../types/telemetry';
import { withPartialResponse } from '../../operators/withPartialResponse';


const DEFAULT_MAX_EVENT_BYTES = 8 * 1024 * 1024;
/** How many calls of one answer run at once, unless `toolConcurrency` says otherwise. */
const DEFAULT_TOOL_CONCURRENCY = 8;

/**
 * The chat stream `streamChat$` assembles, whichever entry it comes from: `provider` is called (once,
 * when the call is checked) for the provider the call names — by id through the registry (the root
 * entry), or the object itself (`rxllm/core`), so the core alone never imports the registry and the
 * providers it holds. Bad input makes the Observable fail with `ConfigError`; nothing is sent.
 */
export function assembleChat$(provider: () => Provider<any>, messages: unknown, options: unknown): Observable<Chunk> {
  let prepared: ReturnType<typeof prepareRequest>;
  try {
    prepared = prepareRequest(provider(), messages, options);
  } catch (error) {
    return throwError(() => error);
  }
  const { provider: chosen, messages: checked, options: resolved, request, secrets, tools } = prepared;
  const settings = {
    timeout: toTimeoutLimits(resolved.timeout),
    signal: resolved.signal,
    maxEventBytes: resolved.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
    secrets,
    onResponse: resolved.onResponse,
    transport: transportOptionsOf(resolved),
  };
  const { streamRecovery, recovery, rateLimiter } = resolved as StreamChatOptions;
  const attempt = (wire: HttpRequest): Observable<Chunk> =>
    rateLimiter ? rateLimited(rateLimiter, chosen.id, settings, (s) => streamChunks$(chosen, wire, s)) : streamChunks$(chosen, wire, settings);
  // an API that splits long answers into hops: each request's hops are followed with that request
  const { continueFrom } = chosen;
  const answer = (wire: HttpRequest): Observable<Chunk> =>
    continueFrom ? followContinuations(attempt(wire), (token) => attempt(continueFrom.call(chosen, wire, token))) : attempt(wire);
  // the answer is folded once per subscription (see SharedAnswer) — by recovery when it delivers
  // what the coordinator sees, else by a tap after the provider's own features when a stage reads it
  let recovered: ((messages: readonly ChatMessage[], first: HttpRequest, shared: SharedAnswer | undefined, onRetry: OnRetry | undefined) => Observable<Chunk>) | undefined;
  if (streamRecovery === true || (recovery !== undefined && streamRecovery !== false)) {
    const { continuation = 'instruction', ...operatorConfig } = recovery ?? {};
    const ownOnRetry = operatorConfig.onRetry;
    if (continuation === 'prefill' && !chosen.prefill) {
      return throwError(
        () => new ConfigError('options', [{ path: 'recovery.continuation', expected: `'instruction' (${chosen.id} cannot continue a prefilled answer)`, got: "'prefill'" }]),
      );
    }
    recovered = (messages, first, shared, onRetry) => {
      // per subscription: the request of each attempt (a checkpoint resumes with its own), and
      // whether the model refused a prefill (then every later continuation is an instruction)
      const requests: HttpRequest[] = [first];
      let form: ContinuationForm = continuation;
      const continued = (partial: ChatResponse, asked: ContinuationForm, n: number): ResumeAttempt => {
        const next = continuationMessages(messages, partial, asked);
        const wire = chosen.buildRequest(next.messages, resolved);
        requests[n] = wire;
        const resumed: ResumeAttempt = { chunks$: answer(wire), form: asked, trimmed: next.trimmed };
        if (asked === 'prefill') {
          resumed.fallback = (error) => {
            if (!isPrefillRefusal(error)) return undefined;
            form = 'instruction';
            return continued(partial, 'instruction', n);
          };
        }
        return resumed;
      };
      // before any content the same request again; after content, an exact resume from a
      // checkpoint when there is one, else a continuation of what was received
      const resume = ({ partial, attempt: n, checkpoint }: ResumeRequest): Observable<Chunk> | ResumeAttempt => {
        if (checkpoint && continueFrom) {
          const base = requests[checkpoint.attempt] ?? first;
          requests[n] = base;
          return { chunks$: answer(continueFrom.call(chosen, base, checkpoint.token)), form: 'checkpoint' };
        }
        if (!partial.content) {
          requests[n] = first;
          return answer(first);
        }
        return continued(partial, form, n);
      };
      // an observer of the run hears of each attempt, beside the option's own onRetry
      const config = onRetry ? { ...operatorConfig, onRetry: ownOnRetry ? (event: RetryEvent) => (ownOnRetry(event), onRetry(event)) : onRetry } : operatorConfig;
      const recovered$ = answer(first).pipe(optionUnder('recovery', () => recoverStreamSharing(resume, config, shared && (() => shared))));
      // an abort during a backoff wait (no request in flight to see it) ends the stream at once too
      return settings.signal ? merge(recovered$.pipe(materialize()), whenAborted$(settings.signal, chosen.id).pipe(materialize())).pipe(dematerialize()) : recovered$;
    };
  }
  // the provider's own features, then the coordinator, in a fixed order (docs/streaming_coordinator.md);
  // the settings are checked now, the operators made for each subscription (they share its answer)
  let features: MonoTypeOperatorFunction<Chunk>[];
  let coordinator: Coordinator;
  try {
    features = chosen.features?.({ options: resolved, request, secrets }) ?? [];
    coordinator = coordinatorOf(resolved as StreamChatOptions);
  } catch (error) {
    return throwError(() => error);
  }
  const validating = !!(resolved as StreamChatOptions).validateChunk;
  const recoveryFolds = recovered !== undefined && features.length === 0;
  // one answer to `messages`, sent as `wire`: recovered (its attempts told to `onRetry`), with the
  // provider's features and the coordinator's stages that read the answer
  const answerTo = (messages: readonly ChatMessage[], wire: HttpRequest, onRetry: OnRetry | undefined): Observable<Chunk> =>
    defer(() => {
      const shared: SharedAnswer | undefined = recoveryFolds || validating ? { fold: createAnswerFold() } : undefined;
      let chunks$ = recovered ? recovered(messages, wire, recoveryFolds ? shared : undefined, onRetry) : answer(wire);
      for (const feature of features) chunks$ = chunks$.pipe(feature);
      if (shared && !recoveryFolds) chunks$ = chunks$.pipe(tap((chunk) => shared.fold.add(chunk)));
      for (const operator of coordinator.perAnswer(shared)) chunks$ = chunks$.pipe(operator);
      return chunks$.pipe(withPartialResponse(shared));
    });
  const { maxSteps = 1, toolConcurrency = DEFAULT_TOOL_CONCURRENCY, telemetry } = resolved as StreamChatOptions;
  const onError = resolved.onError as ((error: unknown) => void) | undefined;
  /** the whole run: its answer, or the steps of a tool run, through the coordinator's stages over the run */
  const runWith = (onRetry: OnRetry | undefined): Observable<Chunk> => {
    let run$: Observable<Chunk>;
    if (tools.some((tool) => tool.execute)) {
      // tools that run themselves: each step's answer, its tool results, and the next step
      run$ = runToolSteps(checked, tools, { maxSteps, concurrency: toolConcurrency }, (messages, n) =>
        answerTo(messages, n === 0 ? request : chosen.buildRequest(messages, resolved), onRetry),
      );
      // an abort while the tools run (no request in flight to see it) ends the run at once too
      if (settings.signal) run$ = merge(run$.pipe(materialize()), whenAborted$(settings.signal, chosen.id).pipe(materialize())).pipe(dematerialize());
    } else {
      run$ = answerTo(checked, request, onRetry);
    }
    for (const operator of coordinator.overRun) run$ = run$.pipe(operator);
    return onError ? run$.pipe(tap({ error: onError })) : run$;
  };
  // no observer, no cost: the run as it is; else each subscription is one observed run
  if (!telemetry) return runWith(undefined);
  return observeRun(telemetry, telemetryRequest(chosen.id, resolved, request, checked, tools), (run) => runWith((event) => run.attempt(event)));
}

/** Told of each retry and continuation of an answer (the `telemetry` option's run). */
type OnRetry = (event: RetryEvent) => void;

/** The coordinator's stages: those that read one answer (made for each, with its shared fold), and those over the whole run. */
interface Coordinator {
  perAnswer: (shared: SharedAnswer | undefined) => MonoTypeOperatorFunction<Chunk>[];
  overRun: MonoTypeOperatorFunction<Chunk>[];
}

/**
 * The operators the options ask for, in their fixed order: the validation and the transform of each
 * answer, made for it with its shared fold; the metrics and the buffering over the whole run (all
 * steps of a tool run). The options were checked with the operators' own codecs; should an
 * operator still refuse its configuration, its `ConfigError` is reported under the option's path
 * (`optionUnder`), when this is called.
 */
function coordinatorOf(options: StreamChatOptions): Coordinator {
  const makers: Array<(shared: SharedAnswer | undefined) => MonoTypeOperatorFunction<Chunk>> = [];
  const overRun: MonoTypeOperatorFunction<Chunk>[] = [];
  /** an operator that reads the shared answer: checked now, made for each answer */
  const perAnswer = (path: string, check: () => unknown, make: (shared: SharedAnswer | undefined) => MonoTypeOperatorFunction<Chunk>) => {
    optionUnder(path, check);
    makers.push(make);
  };
  const { validateChunk: validate, transformChunk: transform, trackMetrics: metrics, onMetrics, metrics$, bufferChunks: buffer } = options;
  if (validate) {
    const fn = typeof validate === 'function' ? validate : validate.validate;
    const config = typeof validate === 'function' ? {} : { onInvalid: validate.onInvalid };
    perAnswer('validateChunk', () => validateChunk(fn, config), (shared) => validateChunkSharing(fn, config.onInvalid ?? 'error', shared));
  }
  if (transform) perAnswer('transformChunk', () => transformChunk(transform), (shared) => transformChunkSharing(transform, shared));
  // made (and checked) once: their state is per subscription anyway
  if (onMetrics || metrics$) overRun.push(optionUnder('trackMetrics', () => trackMetrics({ ...(typeof metrics === 'object' ? metrics : {}), onMetrics, metrics$ })));
  if (buffer !== undefined) overRun.push(optionUnder('bufferChunks', () => bufferChunks(buffer)));
  return { perAnswer: (shared) => makers.map((make) => make(shared)), overRun };
}
