/**
 * The address of the page this code runs in (`location.href`), or `undefined` outside a page (Node,
 * a worker without a location): what a relative URL resolves against.
 */
export function pageAddress(): string | undefined {
  const href = (globalThis as { location?: { href?: unknown } }).location?.href;
  return typeof href === 'string' && /^https?:/.test(href) ? href : undefined;
}

/**
 * `url` as an absolute http(s) URL: as it is when it is one, else resolved against the page (a
 * relative or same-origin base URL such as `/api/llm/v1`, in a browser); `undefined` when it is
 * neither — a relative URL outside a page has nothing to resolve against.
 *
 * @example
 * absoluteHttpURL('https://api.openai.com/v1'); // 'https://api.openai.com/v1'
 * absoluteHttpURL('/api/llm/v1'); // 'https://app.example/api/llm/v1' on a page of https://app.example; undefined in Node
 */
export function absoluteHttpURL(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    const page = pageAddress();
    if (page === undefined) return undefined;
    try {
      parsed = new URL(url, page);
    } catch {
      return undefined;
    }
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : undefined;
}
