import type { IncomingHttpHeaders } from 'node:http';

/** A non-negative number from a request header (`x-mock-chunk-delay-ms: 20`), or `undefined`. */
export function numberHeader(headers: IncomingHttpHeaders, name: string): number | undefined {
  const value = headers[name];
  if (typeof value !== 'string') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
