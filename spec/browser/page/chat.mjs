// The browser page of spec/browser/browser.spec.ts: streams from the mock server with the built
// package (imported through the page's import map) and renders the answer and the live metrics.
import { Subject } from 'rxjs';
import { streamChat$, accumulate } from 'rxllm';

const params = new URLSearchParams(location.search);
const baseURL = params.get('baseURL');
const question = params.get('q') ?? 'Why does streaming matter for chat UIs?';
const chunkDelayMs = params.get('chunkDelayMs');
// the answer checked by the moderation endpoint: side requests (requestJson$) alongside the stream
const moderation = params.get('moderation') === '1';
const $ = (id) => document.getElementById(id);

let subscription = null;
$('question').textContent = question;

function setStatus(text) {
  $('status').textContent = text;
  document.body.dataset.status = text;
}

function renderMetrics(m) {
  const box = $('metrics');
  box.textContent =
    `${m.status} · ${m.chunksReceived} chunks · ${m.bytesReceived} bytes · ` +
    `${m.outputTokens} tokens · ${m.tokensPerSecond.toFixed(1)} tok/s · ` +
    `first chunk ${m.timeToFirstChunkMs === undefined ? '–' : `${Math.round(m.timeToFirstChunkMs)} ms`}`;
  box.dataset.status = m.status;
  box.dataset.chunks = String(m.chunksReceived);
  box.dataset.bytes = String(m.bytesReceived);
  box.dataset.updates = String(Number(box.dataset.updates ?? 0) + 1);
}

$('start').addEventListener('click', () => {
  subscription?.unsubscribe();
  $('answer').textContent = '';
  const metrics$ = new Subject();
  metrics$.subscribe(renderMetrics);
  setStatus('streaming');
  subscription = streamChat$('openai', [{ role: 'user', content: question }], {
    baseURL,
    trackMetrics: { intervalMs: 50 },
    metrics$,
    // the mock server paces its answer when asked (a custom header: CORS must allow it)
    headers: chunkDelayMs ? { 'x-mock-chunk-delay-ms': chunkDelayMs } : {},
    ...(moderation ? { contentModeration: true } : {}),
  })
    .pipe(accumulate())
    .subscribe({
      next: (answer) => ($('answer').textContent = answer.content),
      error: (error) => setStatus(`error: ${error.name}: ${error.message}`),
      complete: () => setStatus('completed'),
    });
});

$('stop').addEventListener('click', () => {
  subscription?.unsubscribe();
  subscription = null;
  setStatus('stopped');
});

setStatus('ready');
