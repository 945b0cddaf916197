import type { ServerSentEvent } from './toServerSentEvents';

/**
 * The wire text of one server-sent event: `id:`, `event:`, `retry:` and `data:` lines and the blank
 * line that ends it. Object data is JSON (which never contains a raw line break); string data is
 * split into one `data:` line per line.
 */
export function formatServerSentEvent(event: ServerSentEvent): string {
  let text = '';
  if (event.id !== undefined) text += `id: ${event.id}\n`;
  if (event.type !== undefined) text += `event: ${event.type}\n`;
  if (event.retry !== undefined) text += `retry: ${event.retry}\n`;
  const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  for (const line of data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}
