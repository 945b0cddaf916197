import { Injectable, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { catchError, connect, map, merge, of, startWith, Subject, switchMap } from 'rxjs';
import { isOutputValidationError, partialObjects, streamChat$, toObject, type PartialObject } from 'rxllm';
import { Profile } from './profile';

/** A profile as the model writes it: what the form shows, and how the answer ended. */
export interface ProfileDraft {
  /** the description it answers */
  description: string;
  /** the value so far: a key shows once the model started its value, strings grow, `skills` gains elements */
  value: PartialObject<Profile>;
  /** `streaming` until the answer ended; `done` once `toObject(Profile)` decoded it; `error` otherwise */
  status: 'streaming' | 'done' | 'error';
  /** the answer decoded by the codec, once `done` */
  profile?: Profile;
  /** why it failed, for the page */
  error?: string;
  /** when the answer did not fit the codec: the paths that failed (`address.city`, `skills.2`) */
  invalid?: string[];
}

/**
 * Fills a profile from a description, through the relay on your server: the server's relay has
 * `output: { schema: Profile }` (the page cannot send a codec), the page reads the JSON answer with
 * `partialObjects()` while it streams and decodes it with `toObject(Profile)` when it ends — one
 * request, read by both (`connect`).
 *
 * `draft` is a `toSignal`: a new description cancels the answer still streaming (`switchMap`), and
 * destroying the service (it is provided by the component) aborts the request on both hops.
 */
@Injectable()
export class ProfileService {
  private readonly descriptions = new Subject<{ description: string; baseURL: string }>();

  /** The profile being written: `undefined` before the first description, then an empty draft, then a new value per chunk that changed it. */
  readonly draft: Signal<ProfileDraft | undefined> = toSignal(
    this.descriptions.pipe(
      switchMap(({ description, baseURL }) => {
        let value: PartialObject<Profile> = {};
        return streamChat$('rxllm', [{ role: 'user', content: description }], { baseURL, streamRecovery: true }).pipe(
          connect((chunks$) =>
            merge(
              chunks$.pipe(
                partialObjects<Profile>(),
                map((partial): ProfileDraft => ({ description, value: (value = partial), status: 'streaming' })),
              ),
              // the same chunks, decoded once at the end: after the last partial value, which is the whole JSON
              chunks$.pipe(
                toObject(Profile),
                map((profile): ProfileDraft => ({ description, value: profile, status: 'done', profile })),
              ),
            ),
          ),
          catchError((error: unknown) => of<ProfileDraft>({ description, value, status: 'error', ...failure(error) })),
          // the form empties at once, before the first chunk: nothing of the last profile stays beside the new one
          startWith<ProfileDraft>({ description, value: {}, status: 'streaming' }),
        );
      }),
    ),
  );

  /** Asks the relay at `baseURL` (a route of your server whose relay has `output: { schema: Profile }`) to fill a profile. */
  fill(description: string, baseURL = '/api/profile'): void {
    if (description.trim()) this.descriptions.next({ description, baseURL });
  }
}

/** What the page says of a failure: for an answer that does not fit the form, each path and what was wrong. */
function failure(error: unknown): Pick<ProfileDraft, 'error' | 'invalid'> {
  if (isOutputValidationError(error)) {
    return {
      error: `The answer does not fit the form: ${error.issues.map((issue) => `${issue.path}: expected ${issue.expected}, got ${issue.got}`).join('; ')}`,
      invalid: error.issues.map((issue) => issue.path),
    };
  }
  return { error: error instanceof Error ? error.message : String(error) };
}
