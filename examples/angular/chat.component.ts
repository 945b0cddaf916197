import { AsyncPipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Subject, switchMap, takeUntil, type Observable } from 'rxjs';
import { accumulate, streamChat$, type ChatResponse, type StreamMetrics } from 'rxllm';

/**
 * A chat box that streams the answer as the model writes it, with live metrics beside it.
 *
 * Both streams are bound with the `async` pipe: `answer$` is the answer so far (`accumulate()`
 * re-renders it on every chunk) and `metrics$` the side-stream that `streamChat$` feeds through its
 * `metrics$` option — the same request, no second one. "Stop" and leaving the page unsubscribe,
 * which aborts the HTTP request (axios's fetch adapter in the browser).
 *
 * Point `baseURL` at a server of yours that holds the API key (never ship a key to the browser),
 * e.g. a NestJS or Express route that re-streams the provider's answer, or at `rxllm/testing`'s
 * mock server while developing.
 *
 * @example
 * <rxllm-chat baseURL="/api/llm/v1" />
 */
@Component({
  selector: 'rxllm-chat',
  standalone: true,
  imports: [AsyncPipe, DecimalPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form (submit)="$event.preventDefault(); ask(prompt.value)">
      <input #prompt placeholder="Ask something" />
      <button type="submit">Ask</button>
      <button type="button" (click)="stop()">Stop</button>
    </form>
    @if (answer$ | async; as answer) {
      <p class="answer">{{ answer.content }}</p>
    }
    @if (metrics$ | async; as m) {
      <small class="metrics">
        {{ m.status }} · {{ m.chunksReceived }} chunks · {{ m.tokensPerSecond | number: '1.0-1' }} tok/s
        @if (m.timeToFirstChunkMs !== undefined) {
          · first chunk {{ m.timeToFirstChunkMs | number: '1.0-0' }} ms
        }
      </small>
    }
  `,
})
export class ChatComponent {
  /** the OpenAI-compatible endpoint to stream from (your proxy, or the mock server's `/v1`) */
  readonly baseURL = input('/api/llm/v1');
  /** the model to ask */
  readonly model = input('gpt-4o-mini');

  private readonly prompts = new Subject<string>();
  private readonly stops = new Subject<void>();
  private readonly metrics = new Subject<StreamMetrics>();

  /** The metrics of the current answer: live while it streams, then `completed`, `error` or `cancelled`. */
  readonly metrics$: Observable<StreamMetrics> = this.metrics.asObservable();

  /**
   * The answer so far. A new question cancels the one still streaming (`switchMap`), "Stop"
   * cancels it too, and the component's destruction ends everything (`takeUntilDestroyed`).
   */
  readonly answer$: Observable<ChatResponse> = this.prompts.pipe(
    switchMap((prompt) =>
      streamChat$('openai', [{ role: 'user', content: prompt }], {
        baseURL: this.baseURL(),
        model: this.model(),
        trackMetrics: { intervalMs: 250 },
        metrics$: this.metrics,
      }).pipe(accumulate(), takeUntil(this.stops)),
    ),
    takeUntilDestroyed(),
  );

  /** Sends a question; the answer streams into the view. */
  ask(prompt: string): void {
    if (prompt.trim()) this.prompts.next(prompt);
  }

  /** Cancels the answer that is streaming: the request is aborted and the metrics end as `cancelled`. */
  stop(): void {
    this.stops.next();
  }
}
