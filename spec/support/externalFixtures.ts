import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from './fixtures';

/** The streams other projects recorded from the real APIs (`external/`, its README), read in place. */
const EXTERNAL_DIR = join(FIXTURES_DIR, 'external');

/** One entry of `external/manifest.json`. */
export interface ExternalFixture {
  name: string;
  /** the rxllm provider that should read it */
  provider: string;
  api: string;
  contentType: string;
  file: string;
  /** the HTTP status the body was served with (an error body), when not 200 */
  status?: number;
  /** a Gemini body recorded from Vertex AI */
  vertex?: boolean;
  server?: string;
  model?: string;
}

/** The peer's reading of one body (`external/expected/<name>.json`); the Responses family's fields. */
export interface ExternalExpected {
  id?: string;
  model?: string;
  content: string;
  reasoning: string;
  toolCalls: Array<{ name: string; arguments: unknown }>;
  toolCallIds: string[];
  finish: string | null;
  rawFinish: string | null;
  usage: Record<string, number> | null;
  citations: string[];
  error: { name: string; message: string } | null;
  refusal?: string;
  partial?: boolean;
  note?: string | null;
  /** the package (and version) that made this reading */
  by?: string;
}

/** The manifest's entries of one API (`responses`, `chat-completions`, …), in manifest order. */
export function externalFixtures(api: string): ExternalFixture[] {
  const manifest = JSON.parse(readFileSync(join(EXTERNAL_DIR, 'manifest.json'), 'utf8')) as { fixtures: ExternalFixture[] };
  return manifest.fixtures.filter((entry) => entry.api === api);
}

export const externalBody = (fixture: ExternalFixture): Buffer => readFileSync(join(EXTERNAL_DIR, fixture.file));

export const externalExpected = (fixture: ExternalFixture): ExternalExpected =>
  JSON.parse(readFileSync(join(EXTERNAL_DIR, 'expected', `${fixture.name}.json`), 'utf8'));
