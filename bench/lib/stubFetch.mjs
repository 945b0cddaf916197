/**
 * A `fetch` for the clients that accept one (openai-node, the AI SDK's providers,
 * @anthropic-ai/sdk): it answers every call with a `Response` whose body is a web `ReadableStream`
 * that hands out one 16 KiB piece per pull — the same pieces the stub agent serves to axios.
 * The request body is read first, as a server would.
 */
export function stubFetch({ contentType, pieces }) {
  return async (_url, init) => {
    if (init?.body !== undefined && init.body !== null && typeof init.body !== 'string') await new Response(init.body).arrayBuffer();
    let next = 0;
    const body = new ReadableStream(
      {
        pull(controller) {
          if (next < pieces.length) controller.enqueue(pieces[next++]);
          else controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(body, { status: 200, headers: { 'content-type': contentType } });
  };
}
