import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { ChatService } from './chat.service';

/**
 * A chat box that streams the answer as the model writes it, with live metrics beside it.
 *
 * It reads the relay on your server (`createChatRelay`, which holds the provider's key; never ship a
 * key to the browser) through `ChatService`, whose `answer` and `metrics` are signals (`toSignal`):
 * the template reads them as values, and with signals it runs as well without zone.js
 * (`provideZonelessChangeDetection()`). "Stop", a new question and leaving the page abort the request,
 * on both hops: the page's to the relay and the relay's to the provider.
 *
 * @example
 * <rxllm-chat baseURL="/api/chat" />
 */
@Component({
  selector: 'rxllm-chat',
  standalone: true,
  imports: [DecimalPipe],
  // one conversation per chat box, ended with it
  providers: [ChatService],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form (submit)="$event.preventDefault(); ask(prompt.value)">
      <input #prompt placeholder="Ask something" />
      <button type="submit">Ask</button>
      <button type="button" (click)="stop()">Stop</button>
    </form>
    @if (chat.answer(); as answer) {
      <p class="answer">{{ answer.content }}</p>
      @if (answer.error) {
        <p class="error" role="alert">{{ answer.error }}</p>
      }
    }
    @if (chat.metrics(); as m) {
      <small class="metrics" [attr.data-status]="m.status">
        {{ m.status }} · {{ m.chunksReceived }} chunks · {{ m.tokensPerSecond | number: '1.0-1' }} tok/s
        @if (m.timeToFirstChunkMs !== undefined) {
          · first chunk {{ m.timeToFirstChunkMs | number: '1.0-0' }} ms
        }
        @if (m.recoveries > 0) {
          · resumed
        }
      </small>
    }
  `,
})
export class ChatComponent {
  /** the relay's URL: a route of your own server where `createChatRelay` answers */
  readonly baseURL = input('/api/chat');

  /** the running answer and its metrics, as signals */
  protected readonly chat = inject(ChatService);

  /** Sends a question; the answer streams into the view. */
  ask(prompt: string): void {
    this.chat.ask(prompt, this.baseURL());
  }

  /** Cancels the answer that is streaming: the request is aborted and the metrics end as `cancelled`. */
  stop(): void {
    this.chat.stop();
  }
}
