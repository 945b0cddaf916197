import { refusedToolResults } from '../../testing/wire/anthropicToolResults';
import { UNMATCHED_FUNCTION_RESPONSES, unmatchedFunctionResponses } from '../../testing/wire/geminiFunctionResponses';
import { isLMStudioModelKey } from '../../testing/wire/lmstudioModelKey';
import { MISTRAL_UNPAIRED_TOOL_CALLS, unpairedMistralToolCalls } from '../../testing/wire/mistralToolMessages';
import { refusedToolMessages } from '../../testing/wire/openaiToolMessages';
import { missingToolOutput } from '../../testing/wire/responsesMissingOutput';

/** The refusals of tool calls and results that do not pair up, one API at a time, on the conversations a tool loop gets wrong. */
describe('the mock routes refuse tool calls and results that do not pair up', () => {
  const user = (content: unknown = 'Weather and time in Oslo?') => ({ role: 'user', content });

  describe('Chat Completions (OpenAI, Azure): refusedToolMessages', () => {
    const calling = (...ids: string[]) => ({ role: 'assistant', content: null, tool_calls: ids.map((id) => ({ id, type: 'function', function: { name: 'f', arguments: '{}' } })) });
    const tool = (id: string) => ({ role: 'tool', tool_call_id: id, content: '{"sky":"☀"}' });
    const unanswered = (ids: string) =>
      `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${ids}`;

    test('every call answered, in any order, over several rounds: nothing to refuse', () => {
      expect(refusedToolMessages([user(), calling('call_a', 'call_b'), tool('call_b'), tool('call_a'), calling('call_c'), tool('call_c'), user('Thanks')])).toBeUndefined();
      // a conversation that ends with the calls (no results yet) is not checked
      expect(refusedToolMessages([user(), calling('call_a')])).toBeUndefined();
    });

    test('calls left unanswered: named, at the message where their results were due', () => {
      expect(refusedToolMessages([user(), calling('call_a', 'call_b'), tool('call_a'), user('And?')])).toEqual({ message: unanswered('call_b'), param: 'messages.[3].role' });
      expect(refusedToolMessages([user(), calling('call_a', 'call_b'), user('And?')])).toEqual({ message: unanswered('call_a, call_b'), param: 'messages.[2].role' });
      expect(refusedToolMessages([user(), calling('call_a', 'call_b'), tool('call_b')])).toEqual({ message: unanswered('call_a'), param: 'messages.[3].role' });
    });

    test('a tool message after no calls, or for another call: refused at that message', () => {
      expect(refusedToolMessages([user(), tool('call_a')])).toEqual({
        message: "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
        param: 'messages.[1].role',
      });
      expect(refusedToolMessages([user(), calling('call_a'), tool('call_a'), user('More'), tool('call_a')])?.param).toBe('messages.[4].role');
      expect(refusedToolMessages([user(), calling('call_a'), tool('call_x')])).toEqual({
        message: "Invalid parameter: 'tool_call_id' of 'call_x' not found in 'tool_calls' of previous message.",
        param: 'messages.[2].tool_call_id',
      });
    });

    test("LM Studio's model keys (publisher/model) are told from OpenAI's model ids", () => {
      expect([isLMStudioModelKey('qwen/qwen3-4b'), isLMStudioModelKey('gpt-4o-mini'), isLMStudioModelKey(undefined)]).toEqual([true, false, false]);
    });
  });

  describe('Mistral: unpairedMistralToolCalls', () => {
    const calling = (n: number) => ({ role: 'assistant', content: '', tool_calls: Array.from({ length: n }, (_, i) => ({ id: `abcdefgh${i}`, function: { name: 'f', arguments: '{}' } })) });
    const tool = { role: 'tool', tool_call_id: 'abcdefgh0', content: 'Sunny' };

    test('as many results as calls after each assistant turn: nothing to refuse', () => {
      expect(unpairedMistralToolCalls([user(), calling(2), tool, tool, user('Thanks'), calling(1)])).toBeUndefined();
    });

    test('fewer or more results than calls, or results after no calls: refused with its words', () => {
      expect(unpairedMistralToolCalls([user(), calling(2), tool, user('And?')])).toBe(MISTRAL_UNPAIRED_TOOL_CALLS);
      expect(unpairedMistralToolCalls([user(), calling(2), tool])).toBe(MISTRAL_UNPAIRED_TOOL_CALLS);
      expect(unpairedMistralToolCalls([user(), calling(1), tool, tool])).toBe(MISTRAL_UNPAIRED_TOOL_CALLS);
      expect(unpairedMistralToolCalls([tool, user()])).toBe(MISTRAL_UNPAIRED_TOOL_CALLS);
      expect(unpairedMistralToolCalls([user(), tool])).toBe(MISTRAL_UNPAIRED_TOOL_CALLS);
    });
  });

  describe('Anthropic: refusedToolResults', () => {
    const using = (...ids: string[]) => ({ role: 'assistant', content: [{ type: 'thinking', thinking: '…', signature: 's' }, ...ids.map((id) => ({ type: 'tool_use', id, name: 'f', input: {} }))] });
    const results = (...ids: string[]) => user(ids.map((id) => ({ type: 'tool_result', tool_use_id: id, content: [{ type: 'text', text: '雪 ❄\nwind' }] })));

    test('each tool_use answered in the next message, an error result included: nothing to refuse', () => {
      const failed = user([{ type: 'tool_result', tool_use_id: 'toolu_b', is_error: true, content: 'timeout' }, ...(results('toolu_a').content as object[])]);
      expect(refusedToolResults([user(), using('toolu_a', 'toolu_b'), failed, using('toolu_c'), results('toolu_c')])).toBeUndefined();
      // a prefill is not a tool turn to answer
      expect(refusedToolResults([user(), using('toolu_a')])).toBeUndefined();
    });

    test('calls without results in the next message: named, at the assistant message', () => {
      expect(refusedToolResults([user(), using('toolu_a', 'toolu_b', 'toolu_c'), results('toolu_b')])).toBe(
        'messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_a, toolu_c. Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
      );
      expect(refusedToolResults([user(), using('toolu_a'), user('Never mind')])).toMatch(/^messages\.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_a\. /);
    });

    test('a result for no tool_use of the message before: named, at its block', () => {
      const unexpected = 'unexpected `tool_use_id` found in `tool_result` blocks: toolu_x. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.';
      expect(refusedToolResults([user(), using('toolu_a'), results('toolu_a', 'toolu_x')])).toBe(`messages.2.content.1: ${unexpected}`);
      expect(refusedToolResults([results('toolu_x')])).toBe(`messages.0.content.0: ${unexpected}`);
    });
  });

  describe('Gemini: unmatchedFunctionResponses', () => {
    const calls = (n: number) => ({ role: 'model', parts: [{ text: 'Checking.' }, ...Array.from({ length: n }, (_, i) => ({ functionCall: { name: `f${i}`, args: {} }, ...(i === 0 ? { thoughtSignature: 'c2ln' } : {}) }))] });
    const responses = (n: number) => ({ role: 'user', parts: Array.from({ length: n }, (_, i) => ({ functionResponse: { name: `f${i}`, response: { content: '晴れ' } } })) });
    const text = { role: 'user', parts: [{ text: 'Weather?' }] };

    test('each call turn followed by as many function responses: nothing to refuse', () => {
      expect(unmatchedFunctionResponses([text, calls(2), responses(2), calls(1), responses(1)])).toBeUndefined();
      expect(unmatchedFunctionResponses([text, calls(2)])).toBeUndefined();
    });

    test('fewer or more responses, or none: refused with its words', () => {
      expect(unmatchedFunctionResponses([text, calls(2), responses(1)])).toBe(UNMATCHED_FUNCTION_RESPONSES);
      expect(unmatchedFunctionResponses([text, calls(1), responses(2)])).toBe(UNMATCHED_FUNCTION_RESPONSES);
      expect(unmatchedFunctionResponses([text, calls(1), text])).toBe(UNMATCHED_FUNCTION_RESPONSES);
    });
  });

  describe('Responses API: missingToolOutput', () => {
    const call = (id: string) => ({ type: 'function_call', call_id: id, name: 'f', arguments: '{}' });
    const output = (id: string) => ({ type: 'function_call_output', call_id: id, output: '{"sky":"🌧"}' });

    test('every call with its output later in the input: nothing to refuse', () => {
      expect(missingToolOutput([user(), call('call_a'), call('call_b'), output('call_b'), output('call_a')])).toBeUndefined();
      expect(missingToolOutput('Weather in Oslo?')).toBeUndefined();
    });

    test('the first call without an output after it: named', () => {
      expect(missingToolOutput([user(), call('call_a'), call('call_b'), output('call_a')])).toBe('No tool output found for function call call_b.');
      expect(missingToolOutput([user(), call('call_a'), user('And?')])).toBe('No tool output found for function call call_a.');
    });
  });
});
