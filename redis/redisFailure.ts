/**
 * What of a Redis failure may leave `rxllm/redis`. ioredis attaches the failed command to a reply
 * error, and for a refused login that is `HELLO 3 AUTH <user> <password>`; a connection error may
 * name the URL. So no raw ioredis error is passed on: only a copy with its name and redacted message.
 */

/** A Redis error's message, with any password of a connection URL in it replaced. */
export function redisMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/(rediss?:\/\/[^:@/\s]*:)[^@\s]*@/gi, '$1<redacted>@');
}

/** A copy of a Redis error that keeps its name and (redacted) message and drops the rest (the command, the cause). */
export function withoutSecrets(error: unknown): Error {
  const copy = new Error(redisMessage(error));
  if (error instanceof Error) copy.name = error.name;
  return copy;
}

/**
 * The reporter of failures nobody waits for (a write in the background): the given handler, else
 * one process warning for the reporter's lifetime. Errors reach it already stripped by the caller.
 *
 * @example
 * const report = failureReporter(config.onPersistError);
 * write().catch((error) => report(new Error(`persisting failed: ${redisMessage(error)}`)));
 */
export function failureReporter(handler: ((error: Error) => void) | undefined): (error: Error) => void {
  if (handler) return handler;
  let warned = false;
  return (error) => {
    if (warned || typeof process === 'undefined') return;
    warned = true;
    process.emitWarning(error.message);
  };
}
