/**
 * Partial JSON (issue 19): `partialObjects()` over a structured answer of about 1 MB in 10,000
 * prebuilt content chunks (a list of records, the shape of a long structured answer: one array that
 * stays open to the end), timing each chunk from the source's `next` to its return (the operator's
 * parse and value, and the no-op subscriber). Linear means the time per chunk is flat: the mean
 * over the last tenth of the answer about that of the first tenth (a re-parse per chunk would make
 * the last tenth ~19 × the first). `toObject(t.unknown)` over the same chunks and one `JSON.parse`
 * of the whole text are there for scale.
 */
import { ioTs, rxjs, rxllm } from './lib/builtPackage.mjs';
import { collectGarbage, median } from './lib/stats.mjs';

/** A JSON answer of about `bytes` characters: `{ title, items: [record, …] }`, records with strings (escapes, unicode), numbers, booleans and a nested array. */
export function structuredAnswer(bytes) {
  const items = [];
  let size = 40;
  for (let i = 0; size < bytes; i++) {
    const item = { id: i, name: `Item ${i} — "quoted" and 流式 ✓`, notes: 'line one\nline two, with a tab\tand more text to make a record of a realistic length', tags: ['alpha', 'beta', `t${i % 13}`], price: Math.round(i * 137.31) / 100, inStock: i % 3 !== 0, dimensions: { w: i % 50, h: (i * 7) % 40, unit: 'cm' } };
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  return JSON.stringify({ title: 'Catalogue', items });
}

/** `text` in `count` content chunks of (nearly) equal length, and a finish chunk. */
function chunksOf(text, count) {
  const size = Math.ceil(text.length / count);
  const chunks = [];
  for (let at = 0; at < text.length; at += size) chunks.push({ provider: 'openai', seq: chunks.length, bytes: size, content: text.slice(at, at + size) });
  chunks.push({ provider: 'openai', seq: chunks.length, bytes: 0, finishReason: 'stop' });
  return chunks;
}

/** One run: the time of every chunk's `next`, the values emitted and the last one. */
function timeChunks(chunks) {
  const times = new Float64Array(chunks.length);
  let values = 0;
  let last;
  const source = new rxjs.Observable((subscriber) => {
    for (let i = 0; i < chunks.length && !subscriber.closed; i++) {
      const start = performance.now();
      subscriber.next(chunks[i]);
      times[i] = performance.now() - start;
    }
    subscriber.complete();
  });
  source.pipe(rxllm.partialObjects()).subscribe({
    next: (value) => {
      values++;
      last = value;
    },
    error: (error) => {
      throw error;
    },
  });
  return { times, values, last };
}

const mean = (times, from, to) => {
  let sum = 0;
  for (let i = from; i < to; i++) sum += times[i];
  return sum / (to - from);
};

export function measurePartialJson({ bytes, chunks: count, runs, warmups = 2 }) {
  const text = structuredAnswer(bytes);
  const expected = JSON.stringify(JSON.parse(text));
  const chunks = chunksOf(text, count);
  const contentChunks = chunks.length - 1;
  const tenth = Math.floor(contentChunks / 10);
  const first = [];
  const last = [];
  const totals = [];
  const toObjectMs = [];
  const parseMs = [];
  let values = 0;
  for (let round = 0; round < warmups + runs; round++) {
    collectGarbage();
    const run = timeChunks(chunks);
    if (JSON.stringify(run.last) !== expected) throw new Error('bench: partialObjects ended on a value other than JSON.parse of the whole');
    let decoded;
    const t0 = performance.now();
    rxjs.from(chunks).pipe(rxllm.toObject(ioTs.unknown)).subscribe((value) => (decoded = value));
    const t1 = performance.now();
    JSON.parse(text);
    const t2 = performance.now();
    if (JSON.stringify(decoded) !== expected) throw new Error('bench: toObject decoded another value');
    if (round < warmups) continue;
    first.push(mean(run.times, 0, tenth) * 1000);
    last.push(mean(run.times, contentChunks - tenth, contentChunks) * 1000);
    totals.push(run.times.reduce((a, b) => a + b, 0));
    toObjectMs.push(t1 - t0);
    parseMs.push(t2 - t1);
    values = run.values;
  }
  const firstTenthUsPerChunk = median(first);
  const lastTenthUsPerChunk = median(last);
  return {
    bytes: text.length,
    chunks: contentChunks,
    runs,
    values,
    firstTenthUsPerChunk,
    lastTenthUsPerChunk,
    lastToFirst: lastTenthUsPerChunk / firstTenthUsPerChunk,
    partialObjectsMs: median(totals),
    toObjectMs: median(toObjectMs),
    jsonParseMs: median(parseMs),
    runsLastToFirst: first.map((f, i) => last[i] / f),
  };
}
