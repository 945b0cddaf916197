import {
  asyncScheduler,
  catchError,
  concat,
  defer,
  ignoreElements,
  map,
  throwError,
  timeout,
  type MonoTypeOperatorFunction,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import { isHttpError } from '../../lib/errors/httpError';
import * as t from 'io-ts';
import { checkConfig } from '../../lib/codec/checkConfig';
import { fn, HttpURL, NonEmptyString, PositiveNumber, Scheduler } from '../../lib/codec/readable';
import { LocalServerError } from '../../lib/errors/localServerError';
import { ParseError } from '../../lib/errors/parseError';
import { isRxllmError } from '../../lib/errors/rxllmError';
import { redactText } from '../../lib/redact';
import type { HttpRequest } from '../../lib/transport/httpRequest';
import { requestJson$ } from '../../lib/transport/requestJson';
import type { Chunk } from '../../lib/types/chunk';
import { LMStudioWireModelList, type LMStudioWireModel } from './wireModels';

/** How the check runs: the fields the `validateLocal` option of the LM Studio provider takes. */
export const ValidateLocalSettings = t.partial(
  {
    /** how long each model list request may take before the server counts as unreachable (default 5000 ms) */
    timeoutMs: PositiveNumber,
    /** the timer of `timeoutMs` (default `asyncScheduler`) */
    scheduler: Scheduler,
  },
  '{ timeoutMs?, scheduler? }',
);

/** The configuration of `validateLocal` (the `validateLocal` option of the LM Studio provider gives `timeoutMs`; the rest comes from the request). */
export const ValidateLocalConfig = t.intersection(
  [
    t.type({
      /** the server, e.g. `http://localhost:1234` */
      baseURL: HttpURL,
      /** the model the chat request asks for */
      model: NonEmptyString,
    }),
    t.partial({
      /** sent with the model list request (the chat request's authentication, when the server has it on) */
      headers: t.record(t.string, t.string),
      /** values never to repeat in an error (the API token) */
      secrets: t.readonlyArray(t.string),
      /** how the lists are fetched (default `requestJson$`; a stub in tests) */
      requestJson: fn<(request: HttpRequest) => Observable<unknown>>('a function (request) => Observable'),
    }),
    ValidateLocalSettings,
  ],
  '{ baseURL, model, headers?, secrets?, timeoutMs?, requestJson?, scheduler? }',
);
export type ValidateLocalConfig = t.TypeOf<typeof ValidateLocalConfig>;

const PROVIDER = 'lmstudio';

/**
 * Checks, before the chat request is sent, that the local LM Studio server answers and has the
 * model loaded: it asks `GET {baseURL}/api/v0/models` (every downloaded model with its `state`,
 * LM Studio ≥ 0.3.6), or, where that is missing (404), the OpenAI-compatible `GET /v1/models` (the
 * models it serves, no state). The source — the chat request — is subscribed to only once the check
 * passed. Otherwise the stream fails with a `LocalServerError` whose message names the fix:
 * `unreachable` ("start LM Studio's server: lms server start"), `model-not-loaded` ("load the
 * model: lms load <model>"), `model-not-found` ("download the model: lms get <model>", with the
 * models it has). Another HTTP failure (401 with authentication on) is the `HttpError` itself.
 * A model id matches exactly (case aside) or by its part after the last `/`.
 *
 * ```
 * source:         ---a--b--|
 * model list:  --L|
 * validateLocal(config)
 * chunks:      -----a--b--|    (source subscribed after L)
 * model list:  --X|            (model not loaded)
 * chunks:      --#             (LocalServerError, source never subscribed)
 * ```
 *
 * @example
 * streamChat$('lmstudio', messages, { model: 'qwen/qwen3-4b', validateLocal: true }).subscribe({
 *   error: (e) => isLocalServerError(e) && console.error(e.message),
 *   // lmstudio: the model "qwen/qwen3-4b" is not loaded in LM Studio at http://localhost:1234 — load the model: lms load qwen/qwen3-4b
 * });
 *
 * @param config where the server is, which model, and how to ask
 */
export function validateLocal(config: ValidateLocalConfig): MonoTypeOperatorFunction<Chunk> {
  const checked = checkConfig(ValidateLocalConfig, config, 'validateLocal config');
  const { baseURL, model, headers = {}, secrets = [], timeoutMs = 5000, scheduler = asyncScheduler } = checked;
  const fetchJson = checked.requestJson ?? ((request: HttpRequest) => requestJson$(request, secrets, PROVIDER));
  const base = baseURL.replace(/\/+$/, '');
  const shown = redactText(base, secrets);
  const listHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!/^(accept|content-type)$/i.test(name)) listHeaders[name] = value;
  listHeaders.accept = 'application/json';

  const list$ = (path: string): Observable<LMStudioWireModel[]> =>
    defer(() => fetchJson({ url: base + path, method: 'GET', headers: listHeaders })).pipe(
      timeout({
        first: timeoutMs,
        scheduler,
        with: () => throwError(() => unreachable(`did not answer ${path} within ${timeoutMs} ms`)),
      }),
      map((body) => {
        if (!LMStudioWireModelList.is(body)) {
          throw new ParseError({ provider: PROVIDER, kind: 'schema', message: `${PROVIDER}: ${path} of ${shown} is not a model list ({ data: [{ id }] })`, raw: JSON.stringify(body) ?? '' });
        }
        return body.data;
      }),
      catchError((error: unknown) => throwError(() => (isRxllmError(error) && error.name === 'StreamInterruptedError' ? unreachable(reasonOf(error), error) : error))),
    );

  const unreachable = (reason: string, cause?: unknown) =>
    new LocalServerError({
      provider: PROVIDER,
      kind: 'unreachable',
      message: `${PROVIDER}: no LM Studio server answers at ${shown} (${reason}) — start LM Studio's server: lms server start`,
      fix: 'lms server start',
      url: shown,
      model,
      cause,
    });

  const native$ = list$('/api/v0/models').pipe(
    map((models) => {
      const found = models.find((m) => sameModel(m.id, model));
      if (!found) {
        const available = models.filter((m) => m.type !== 'embeddings').map((m) => m.id);
        throw new LocalServerError({
          provider: PROVIDER,
          kind: 'model-not-found',
          message: `${PROVIDER}: LM Studio at ${shown} has no model "${model}"${available.length ? ` (it has ${available.join(', ')})` : ''} — download the model: lms get ${model}`,
          fix: `lms get ${model}`,
          url: shown,
          model,
          available,
        });
      }
      if (found.state !== 'loaded') throw notLoaded(`is not loaded in LM Studio at ${shown}`, models);
    }),
  );
  // before 0.3.6 (or another OpenAI-compatible server): the models it serves, without state
  const openai$ = list$('/v1/models').pipe(
    map((models) => {
      if (!models.some((m) => sameModel(m.id, model))) throw notLoaded(`is not among the models LM Studio at ${shown} serves`, models);
    }),
  );
  const notLoaded = (what: string, models: LMStudioWireModel[]) =>
    new LocalServerError({
      provider: PROVIDER,
      kind: 'model-not-loaded',
      message: `${PROVIDER}: the model "${model}" ${what} — load the model: lms load ${model}`,
      fix: `lms load ${model}`,
      url: shown,
      model,
      available: models.map((m) => m.id),
    });

  const check$ = native$.pipe(catchError((error: unknown) => (isHttpError(error) && error.status === 404 ? openai$ : throwError(() => error))));
  return (source) => concat(check$.pipe(ignoreElements()), source);
}

/** The same model: the same id (case aside), or the same id after the publisher (`qwen/qwen3-4b` ~ `qwen3-4b`). */
function sameModel(listed: string, wanted: string): boolean {
  const a = listed.toLowerCase();
  const b = wanted.toLowerCase();
  return a === b || a.slice(a.lastIndexOf('/') + 1) === b.slice(b.lastIndexOf('/') + 1);
}

/** `ECONNREFUSED`, or the failure's message. */
function reasonOf(error: unknown): string {
  const message = String((error as Error)?.message ?? error);
  return /\((E[A-Z]+)\)/.exec(message)?.[1] ?? message;
}
