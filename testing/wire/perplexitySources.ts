import { hashText } from '../mockModel';

/** One source of a mock Perplexity answer, in the shape of its `search_results` entries. */
export interface PerplexitySource {
  title: string;
  url: string;
  date: string;
  last_updated: string;
  snippet: string;
  source: 'web';
}

/**
 * The sources the mock "found" for a prompt: three, deterministic, on reserved `example.*`
 * domains (`search_mode: "academic"` gives `.edu`-like paths, `"sec"` filings), so a test can
 * compute them.
 */
export function perplexitySources(prompt: string, searchMode: string): PerplexitySource[] {
  const slug = prompt.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'answer';
  const host = searchMode === 'academic' ? 'papers.example.edu' : searchMode === 'sec' ? 'filings.example.com' : 'www.example.com';
  const seed = hashText(prompt);
  return [0, 1, 2].map((i) => {
    const day = String(1 + ((seed >>> (i * 3)) % 28)).padStart(2, '0');
    return {
      title: `${prompt.slice(0, 40) || 'Answer'} — source ${i + 1}`,
      url: `https://${host}/${slug}/${i + 1}`,
      date: `2025-0${i + 1}-${day}`,
      last_updated: `2026-0${i + 1}-${day}`,
      snippet: `What source ${i + 1} says about ${prompt.slice(0, 60) || 'it'}…`,
      source: 'web',
    };
  });
}
