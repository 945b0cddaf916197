/** The port of a local Ollama server, when `OLLAMA_HOST` names no scheme and no port. */
const OLLAMA_DEFAULT_PORT = '11434';

/**
 * The base URL of an `OLLAMA_HOST` value, read as ollama-js reads a host (`formatHost`) and the
 * Ollama CLI reads the variable: `host:port` without a scheme is `http://`; without a scheme the
 * port defaults to 11434, with one to the scheme's (80, 443); `:port` alone is 127.0.0.1;
 * credentials and a path are kept, a trailing `/` is not.
 *
 * @example
 * ollamaHostBaseURL('0.0.0.0'); // 'http://0.0.0.0:11434'
 * ollamaHostBaseURL('gpu-box:11500'); // 'http://gpu-box:11500'
 * ollamaHostBaseURL(':8080'); // 'http://127.0.0.1:8080'
 * ollamaHostBaseURL('https://ollama.example.com'); // 'https://ollama.example.com:443'
 */
export function ollamaHostBaseURL(host: string): string {
  let explicit = host.includes('://');
  if (host.startsWith(':')) {
    host = `http://127.0.0.1${host}`;
    explicit = true;
  }
  const url = new URL(explicit ? host : `http://${host}`);
  const port = url.port || (!explicit ? OLLAMA_DEFAULT_PORT : url.protocol === 'https:' ? '443' : '80');
  const auth = url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : '';
  return `${url.protocol}//${auth}${url.hostname}:${port}${url.pathname}`.replace(/\/$/, '');
}
