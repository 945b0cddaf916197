/**
 * Joins an answer's sentences with Perplexity-style citation markers: each sentence ends with
 * `[k]` (1-based, into a list of `sources` sources), every second one with two (`…end.[2][3]`), as
 * Perplexity writes them — right after the punctuation, no space.
 *
 * @example
 * withCitationMarkers(['One.', 'Two.', 'Three.'], 3); // 'One.[1] Two.[2][3] Three.[3]'
 */
export function withCitationMarkers(sentences: readonly string[], sources: number): string {
  if (sources < 1) return sentences.join(' ');
  return sentences
    .map((sentence, i) => {
      const first = (i % sources) + 1;
      const second = ((i + 1) % sources) + 1;
      return i % 2 === 1 && second !== first ? `${sentence}[${first}][${second}]` : `${sentence}[${first}]`;
    })
    .join(' ');
}
