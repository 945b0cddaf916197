import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The public recordings of every provider, read in place (never copied into the repo). */
export const FIXTURES_DIR = process.env.RXLLM_FIXTURES ? resolve(process.env.RXLLM_FIXTURES) : resolve(__dirname, '../../../shared/fixtures');

export const fixturesPresent = (): boolean => existsSync(join(FIXTURES_DIR, 'SOURCES.md'));

export const fixtureNames = (prefix: string): string[] =>
  readdirSync(FIXTURES_DIR).filter((name) => name.startsWith(prefix) && name.endsWith('.txt')).sort();

export const fixtureBytes = (name: string): Buffer => readFileSync(join(FIXTURES_DIR, name));

/** `expected/<name>.json` (OpenAI-style family) */
export const hasExpectedOpenAIStyle = (name: string): boolean => existsSync(join(FIXTURES_DIR, 'expected', name.replace(/\.txt$/, '.json')));

export const expectedOpenAIStyle = (name: string): OpenAIStyleExpected =>
  JSON.parse(readFileSync(join(FIXTURES_DIR, 'expected', name.replace(/\.txt$/, '.json')), 'utf8'));

/** `EXPECTED.json`, keyed by file name (Anthropic, Gemini, Ollama) */
export const expectedByName = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(FIXTURES_DIR, 'EXPECTED.json'), 'utf8'))[name];

export interface OpenAIStyleExpected {
  done: boolean;
  choices: Record<
    string,
    {
      content: string;
      reasoning: string;
      refusal: string | null;
      tool_calls: Record<string, { id: string; name: string; arguments: string; parsed_arguments: unknown }>;
      finish_reason: string | null;
    }
  >;
  usage: Record<string, unknown> | null;
  ids: string[];
  models: string[];
  errors: unknown[];
  /** other top-level fields: occurrences and distinct values (Perplexity's `citations`, `search_results`) */
  other_top_level?: Record<string, { occurrences: number; distinct_values: unknown[] }>;
  /** the text split at a leading `<think>…</think>` block (Perplexity sonar-reasoning) */
  think_split?: { reasoning: string; text: string };
}
