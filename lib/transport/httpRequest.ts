/** What a provider builds and the transport sends. */
export interface HttpRequest {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  /** serialized as JSON */
  body?: unknown;
}

/** What the transport learned when the response started, before the body. */
export interface ResponseInfo {
  status: number;
  /** response headers, authentication values redacted */
  headers: Record<string, string>;
}
