import { lastValueFrom } from 'rxjs';
import { isHttpError, isStreamInterruptedError, type HttpError, type StreamInterruptedError } from '../../lib';
import { requestJson$ } from '../../lib/transport/requestJson';
import { afterHead, startBadServer, type BadServer } from '../support/badServer';

const SECRET = 'sk-test-requestjson-0123456789';
const headers = { authorization: `Bearer ${SECRET}` };
const answer = (status: string, contentLength: number | undefined, body: string) =>
  `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\n${contentLength === undefined ? '' : `content-length: ${contentLength}\r\n`}connection: close\r\n\r\n${body}`;

/** requestJson$: the side requests of provider features (moderation, model lists), on the stream's client. */
describe('requestJson$', () => {
  let server: BadServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const serve = async (reply: (socket: import('node:net').Socket) => void) => {
    server = await startBadServer((socket, bad) => afterHead(socket, bad, () => reply(socket)));
    return server;
  };
  const request = (url: string) => requestJson$({ url, method: 'POST', headers, body: { input: 'x' } }, [SECRET], 'openai');

  test('a 2xx JSON answer is the parsed body; the request is a JSON POST', async () => {
    const body = JSON.stringify({ results: [{ flagged: false }] });
    const bad = await serve((socket) => socket.end(answer('200 OK', Buffer.byteLength(body), body)));
    await expect(lastValueFrom(request(`${bad.url}/v1/moderations`))).resolves.toEqual({ results: [{ flagged: false }] });
    expect(bad.heads[0]).toMatch(/^POST \/v1\/moderations /);
    expect(bad.heads[0]).toMatch(/content-type: application\/json/i);
  });

  test('a non-2xx answer is an HttpError with the status and the parsed body, without the secret', async () => {
    const body = JSON.stringify({ error: { message: `bad key ${SECRET}`, type: 'invalid_request_error' } });
    const bad = await serve((socket) => socket.end(answer('401 Unauthorized', Buffer.byteLength(body), body)));
    const error = (await lastValueFrom(request(`${bad.url}/v1/moderations`)).catch((e: unknown) => e)) as HttpError;
    expect(isHttpError(error)).toBe(true);
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(JSON.stringify(error.body)).not.toContain(SECRET);
    expect(error.message).not.toContain(SECRET);
  });

  test('an error body cut short is a retryable HttpError of its status, as for a stream', async () => {
    const bad = await serve((socket) => socket.end(answer('400 Bad Request', 500, '{"error":{"message":"half')));
    const error = (await lastValueFrom(request(`${bad.url}/v1/moderations`)).catch((e: unknown) => e)) as HttpError;
    expect(isHttpError(error)).toBe(true);
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(true);
  });

  test('a 2xx body cut short is a retryable StreamInterruptedError naming the endpoint', async () => {
    const bad = await serve((socket) => socket.end(answer('200 OK', 500, '{"results":[')));
    const error = (await lastValueFrom(request(`${bad.url}/v1/moderations?key=${SECRET}`)).catch((e: unknown) => e)) as StreamInterruptedError;
    expect(isStreamInterruptedError(error)).toBe(true);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(`openai: ${bad.url}/v1/moderations could not be reached`);
    expect(error.message).not.toContain(SECRET);
  });

  test('a 2xx answer that is not JSON is an HttpError 502 quoting its start', async () => {
    const bad = await serve((socket) => socket.end(answer('200 OK', 10, 'plain text')));
    const error = (await lastValueFrom(request(`${bad.url}/v1/models`)).catch((e: unknown) => e)) as HttpError;
    expect(isHttpError(error)).toBe(true);
    expect(error.status).toBe(502);
    expect(error.message).toContain('not JSON: plain text');
  });

  test('unsubscribing while the body arrives closes the connection', async () => {
    const bad = await serve((socket) => socket.write(answer('200 OK', 10_000, '{"data":[')));
    let settled = false;
    const subscription = request(`${bad.url}/v1/models`).subscribe({ next: () => (settled = true), error: () => (settled = true), complete: () => (settled = true) });
    while (bad.connections() === 0 || bad.heads.length === 0) await new Promise((done) => setTimeout(done, 10));
    await new Promise((done) => setTimeout(done, 50));
    subscription.unsubscribe();
    await bad.closed(0);
    expect(bad.openConnections()).toBe(0);
    expect(settled).toBe(false);
  });
});
