/**
 * Accumulation: `toResponse()` over a synchronous source of `count` prebuilt content chunks (100k
 * and 1M), beside the same source with a no-op subscriber, so the fold's own cost shows apart
 * from the emission. Linear growth means the 1M figure is about 10× the 100k one.
 */
import { rxjs, rxllm } from './lib/builtPackage.mjs';
import { tokens } from './lib/bodies.mjs';
import { collectGarbage, median } from './lib/stats.mjs';

/** `count` content chunks whose contents cycle through `words`, and a finish chunk; built before timing. */
function makeChunks(count, words) {
  const chunks = new Array(count + 1);
  const n = words.length;
  for (let i = 0; i < count; i++) chunks[i] = { provider: 'openai', seq: i, bytes: 300, id: 'chatcmpl-bench', model: 'gpt-4o-mini', content: words[i % n] };
  chunks[count] = { provider: 'openai', seq: count, bytes: 300, finishReason: 'stop', usage: { inputTokens: 12, outputTokens: count } };
  return chunks;
}

/** A cold source that emits `chunks` synchronously. */
function chunks$(chunks) {
  return new rxjs.Observable((subscriber) => {
    for (let i = 0; i < chunks.length && !subscriber.closed; i++) subscriber.next(chunks[i]);
    subscriber.complete();
  });
}

/** No collection right before a run: V8 runs slower for a while after a forced full GC, which would bill small runs more. */
function timeIt(run) {
  const start = performance.now();
  run();
  return performance.now() - start;
}

export function measureAccumulation({ counts, runs, warmups = 2 }) {
  const words = tokens(4096, 17);
  const cycle = words.join('');
  // expected content: whole cycles of the words, then the first `count % n` of them
  const expectedLength = (count) => Math.floor(count / words.length) * cycle.length + words.slice(0, count % words.length).join('').length;
  const built = new Map(counts.map((c) => [c, makeChunks(c, words)]));
  const fold = new Map(counts.map((c) => [c, []]));
  const source = new Map(counts.map((c) => [c, []]));
  // rounds interleave the sizes, so load on the machine hits both alike; the first rounds warm up
  for (let round = 0; round < warmups + runs; round++) {
    collectGarbage();
    // an untimed pass after the collection, so the timed ones run on warm code (see timeIt)
    chunks$(built.get(counts[0])).pipe(rxllm.toResponse()).subscribe(() => undefined);
    for (const count of counts) {
      let response;
      const foldMs = timeIt(() => chunks$(built.get(count)).pipe(rxllm.toResponse()).subscribe((r) => (response = r)));
      if (!response || response.content.length !== expectedLength(count) || response.finishReason !== 'stop') {
        throw new Error(`bench: toResponse over ${count} chunks gave ${response?.content.length} chars, expected ${expectedLength(count)}`);
      }
      response = undefined;
      const sourceMs = timeIt(() => chunks$(built.get(count)).subscribe(() => undefined));
      if (round >= warmups) {
        fold.get(count).push(foldMs);
        source.get(count).push(sourceMs);
      }
    }
  }
  const rows = counts.map((count) => {
    const toResponseMs = median(fold.get(count));
    const sourceOnlyMs = median(source.get(count));
    return { chunks: count, toResponseMs, sourceOnlyMs, netMs: toResponseMs - sourceOnlyMs, chunksPerSecond: (count / toResponseMs) * 1000, runsMs: fold.get(count) };
  });
  const [small, large] = rows;
  return { rows, growth: large.toResponseMs / small.toResponseMs, netGrowth: large.netMs / small.netMs, sizeRatio: large.chunks / small.chunks };
}
