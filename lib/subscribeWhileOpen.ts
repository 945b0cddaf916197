import { Subject, takeUntil, type Observable, type Observer, type Subscriber } from 'rxjs';

/**
 * Subscribes `source` inside an operator built with `new Observable`, tied to `subscriber` before
 * the source runs: an unsubscribe that happens while a synchronous source is still emitting (a
 * `take` downstream) stops it at once. RxJS's own operators get this from internals that are not
 * public; this is the public way.
 *
 * @example
 * new Observable<Chunk>((subscriber) => {
 *   subscribeWhileOpen(source, subscriber, { next: (c) => subscriber.next(c), error: (e) => subscriber.error(e), complete: () => subscriber.complete() });
 * });
 */
export function subscribeWhileOpen<T>(source: Observable<T>, subscriber: Subscriber<unknown>, observer: Partial<Observer<T>>): void {
  const stop$ = new Subject<void>();
  subscriber.add(() => stop$.next());
  source.pipe(takeUntil(stop$)).subscribe(observer);
}
