import type { ResponseBody } from './bodyReader';

/** What a provider builds and the transport sends. */
export interface HttpRequest {
  url: string;
  method: 'POST' | 'GET' | 'DELETE';
  headers: Record<string, string>;
  /** serialized as JSON */
  body?: unknown;
  /**
   * headers made each time the request is sent, merged over `headers`: an access token that expires
   * (Azure's Entra ID tokens). Their sensitive values (`authorization`, `api-key`, …) join the stream's
   * secrets before anything can fail, so no error shows them.
   */
  credentials?: () => Record<string, string> | Promise<Record<string, string>>;
}

/** What the transport learned when the response started, before the body. */
export interface ResponseInfo {
  status: number;
  /** response headers, authentication values redacted */
  headers: Record<string, string>;
}

/** A response whose headers arrived, its body not read yet (`openResponse`, `fetchResponse`). */
export interface OpenedResponse {
  status: number;
  /** response headers, lower-case names, authentication values redacted */
  headers: Record<string, string>;
  body: ResponseBody;
}
