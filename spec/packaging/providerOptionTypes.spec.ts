import { typeErrors } from '../support/typeErrors';

const header = `
import { streamChat$, type ChatMessage, type Provider } from 'rxllm';
import { openai } from 'rxllm/providers/openai';
import { anthropic } from 'rxllm/providers/anthropic';
const m: ChatMessage[] = [{ role: 'user', content: 'Hi' }];
`;

/**
 * Options typed per provider id (issue 17): what the run-time `ConfigError` catches, the compiler
 * catches first, from the built declarations as a user's compiler reads them.
 */
describe('streamChat$ options are typed per provider, in the built declarations', () => {
  let errors: Record<string, string[]>;
  beforeAll(() => {
    errors = typeErrors({
      typos: `${header}
streamChat$('openai', m, { maxtokens: 5 });
streamChat$('openai', m, { temprature: 3 });
streamChat$('mistral', m, { formatCodeBlock: true });
streamChat$('opneai', m);
streamChat$(openai, m, { maxtokens: 5 });
streamChat$('anthropic', m, { highlightFunctionCalls: true });
streamChat$('openai', m, { temperature: 'hot' });
`,
      good: `${header}
streamChat$('openai', m, { model: 'gpt-4o-mini', maxTokens: 5, temperature: 0.2, highlightFunctionCalls: true });
streamChat$('mistral', m, { formatCodeBlocks: true });
streamChat$('anthropic', m, { thinking: { budgetTokens: 2048 }, annotateReasoning: true });
streamChat$('azure', m, { baseURL: 'https://acme.openai.azure.com/openai', deployment: 'gpt4o', apiVersion: '2024-10-21' });
streamChat$('openai-responses', m, { background: true, streamRecovery: true });
streamChat$(openai, m, { highlightFunctionCalls: true });
streamChat$(anthropic, m, { validateQuality: true });
// a provider chosen at run time: any option of the providers it may be
const chosen: 'openai' | 'anthropic' = Math.random() > 0.5 ? 'openai' : 'anthropic';
streamChat$(chosen, m, { maxTokens: 5, highlightFunctionCalls: true, annotateReasoning: true });
// a provider object of one's own: its options from its codec's type
declare const own: Provider<{ shout?: boolean }>;
streamChat$(own, m, { shout: true, maxTokens: 5 });
`,
      types: `
import type { ChatMessage, ChatResponse, Chunk, Citation, Usage } from 'rxllm';
const message: ChatMessage = { role: 'user', contnt: 'Hi' };
const usage: Usage = { inputTokens: 1, outputTokenz: 2 };
const citation: Citation = { url: 'https://example.com', titel: 'x' };
const chunk: Chunk = { provider: 'openai', seq: 0, bytes: 0, contents: 'x' };
declare const response: ChatResponse;
const id: string = response.toolCalls[0].id;
export { message, usage, citation, chunk, id };
`,
      output: `${header}
// a codec the package itself exports (this program resolves rxllm, not io-ts)
import { Usage as Person } from 'rxllm';
streamChat$('gemini', m, { output: { schema: Person, name: 'person', strict: false } });
streamChat$('ollama', m, { output: { schema: { type: 'object', properties: {} }, codec: Person } });
streamChat$('openai', m, { output: { schema: 'person' } });
streamChat$('openai', m, { output: { schema: Person, strict: 'yes' } });
`,
      registered: `${header}
import { registerProvider } from 'rxllm';
import { createOpenAICompatibleProvider } from 'rxllm/providers/openai-compatible';
declare module 'rxllm' {
  interface ProviderOptionsById {
    vllm: { guidedChoice?: string[] };
  }
}
registerProvider(createOpenAICompatibleProvider({ id: 'vllm', baseURL: 'http://localhost:8000/v1' }));
streamChat$('vllm', m, { model: 'qwen', guidedChoice: ['yes', 'no'] });
streamChat$('vllm', m, { guidedChoise: ['yes'] });
streamChat$('openai', m, { guidedChoice: ['yes'] });
`,
    });
  }, 60_000);

  test('the typos the run-time check catches do not compile: an unknown option, an option of another provider, an unknown id, a wrong type', () => {
    expect(errors.typos).toHaveLength(7);
    expect(errors.typos[0]).toMatch(/'maxtokens' does not exist/);
    expect(errors.typos[1]).toMatch(/'temprature' does not exist/);
    expect(errors.typos[2]).toMatch(/'formatCodeBlock' does not exist/);
    expect(errors.typos[3]).toMatch(/'"opneai"' is not assignable to parameter of type/);
    expect(errors.typos[4]).toMatch(/'maxtokens' does not exist/);
    expect(errors.typos[5]).toMatch(/'highlightFunctionCalls' does not exist/);
    expect(errors.typos[6]).toMatch(/'string' is not assignable to type 'number'/);
  });

  test("each provider's own options, provider objects, a provider chosen at run time and one's own provider object compile", () => {
    expect(errors.good).toEqual([]);
  });

  test('the core data types are interfaces: a misspelt field of a ChatMessage, a Usage, a Citation or a Chunk names the type, not its expanded codec', () => {
    expect(errors.types).toHaveLength(4);
    expect(errors.types[0]).toMatch(/'contnt' does not exist in type 'ChatMessage'/);
    expect(errors.types[1]).toMatch(/'outputTokenz' does not exist in type 'Usage'/);
    expect(errors.types[2]).toMatch(/'titel' does not exist in type 'Citation'/);
    expect(errors.types[3]).toMatch(/'contents' does not exist in type 'Chunk'/);
  });

  test('output: a codec or a JSON Schema compiles; a string schema or a string strict does not', () => {
    expect(errors.output).toHaveLength(2);
    expect(errors.output[0]).toMatch(/'string' is not assignable/);
    expect(errors.output[1]).toMatch(/'string' is not assignable to type 'boolean/);
  });

  test('a registered id joins by declaration merging, with its options checked as the built-in ones are', () => {
    expect(errors.registered).toHaveLength(2);
    expect(errors.registered[0]).toMatch(/'guidedChoise' does not exist/);
    expect(errors.registered[1]).toMatch(/'guidedChoice' does not exist/);
  });
});
