import { Injectable, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { catchError, map, of, Subject, switchMap, takeUntil } from 'rxjs';
import { accumulate, streamChat$, type StreamMetrics } from 'rxllm';

/** The answer on screen: its text so far, and why it ended early when it failed. */
export interface ChatAnswer {
  /** the question it answers */
  question: string;
  /** the answer so far (all of it once the stream completed) */
  content: string;
  /** the error's message when the stream failed (the metrics then say `error`) */
  error?: string;
}

/**
 * One conversation with the relay on your server (`createChatRelay` at `/api/chat`), as signals:
 * `answer` is the running answer, `metrics` the live metrics of the same request (the `metrics$`
 * side-stream of `streamChat$`, no second request). Both are `toSignal`s of Observables, so the
 * template reads them as plain values and no `async` pipe or manual subscription is needed.
 *
 * The page never holds a provider key: it reads the relay with the built-in provider `'rxllm'`, and
 * `streamRecovery` picks a dropped connection up after the last chunk it has (`last-event-id`; a relay
 * with a store keeps the provider's stream running meanwhile), so the answer is shown whole and once.
 *
 * Provide it in the component that shows the chat (`providers: [ChatService]`): the service then lives
 * and dies with it, and `toSignal` unsubscribes when it is destroyed, which aborts the request to the
 * relay and, through the relay, the provider's (a kept stream is cancelled with a `DELETE`).
 */
@Injectable()
export class ChatService {
  private readonly questions = new Subject<{ question: string; baseURL: string }>();
  private readonly stops = new Subject<void>();
  private readonly metricsFeed = new Subject<StreamMetrics>();

  /**
   * The running answer: `undefined` before the first question, then re-rendered on every chunk. A new
   * question cancels the answer still streaming (`switchMap`) and "Stop" cancels it (`takeUntil`); a
   * failure ends that answer with its message and leaves the service ready for the next question.
   */
  readonly answer: Signal<ChatAnswer | undefined> = toSignal(
    this.questions.pipe(
      switchMap(({ question, baseURL }) => {
        let content = '';
        return streamChat$('rxllm', [{ role: 'user', content: question }], {
          baseURL,
          streamRecovery: true,
          trackMetrics: { intervalMs: 250 },
          metrics$: this.metricsFeed,
        }).pipe(
          accumulate(),
          map((response): ChatAnswer => ({ question, content: (content = response.content) })),
          catchError((error: unknown) => of<ChatAnswer>({ question, content, error: error instanceof Error ? error.message : String(error) })),
          takeUntil(this.stops),
        );
      }),
    ),
  );

  /** The metrics of the current answer: live while it streams, then `completed`, `error` or `cancelled`. */
  readonly metrics: Signal<StreamMetrics | undefined> = toSignal(this.metricsFeed);

  /** Asks a question of the relay at `baseURL` (a route of your own server, e.g. `/api/chat`). */
  ask(question: string, baseURL = '/api/chat'): void {
    if (question.trim()) this.questions.next({ question, baseURL });
  }

  /** Cancels the answer that is streaming: both hops are aborted and the metrics end as `cancelled`. */
  stop(): void {
    this.stops.next();
  }
}
