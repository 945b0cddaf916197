import { HttpError, StreamTimeoutError, type ChatResponse } from '../../lib';
import { errorType } from '../../otel/errorType';
import { genAiFinishReason } from '../../otel/genAiFinishReason';
import { genAiInputMessages, genAiOutputMessages } from '../../otel/genAiMessages';

describe('the conventions’ shapes', () => {
  test('input messages: text, a named user, image and file parts, tool calls and their results', () => {
    const json = genAiInputMessages([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        name: 'ada',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', url: 'https://example.com/a.png' },
          { type: 'file', mediaType: 'application/pdf', data: 'JVBERi0=' },
        ],
      },
      { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' }] },
      { role: 'tool', toolCallId: 'call_1', content: 'found' },
    ]);
    expect(JSON.parse(json)).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
      {
        role: 'user',
        name: 'ada',
        parts: [
          { type: 'text', content: 'What is this?' },
          { type: 'uri', modality: 'image', uri: 'https://example.com/a.png' },
          { type: 'blob', modality: 'document', mime_type: 'application/pdf', content: 'JVBERi0=' },
        ],
      },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'found' }] },
    ]);
  });

  test('output messages: reasoning, text and tool calls, with the finish reason', () => {
    const response: ChatResponse = {
      provider: 'openai',
      content: 'Let me look.',
      reasoning: 'The user asks…',
      toolCalls: [{ index: 0, id: 'call_2', name: 'lookup', arguments: { q: 'y' }, argumentsText: '{"q":"y"}' }],
      citations: [],
      finishReason: 'tool_calls',
      usage: {},
      metadata: {},
    };
    expect(JSON.parse(genAiOutputMessages(response, 'tool_call'))).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'The user asks…' },
          { type: 'text', content: 'Let me look.' },
          { type: 'tool_call', id: 'call_2', name: 'lookup', arguments: { q: 'y' } },
        ],
        finish_reason: 'tool_call',
      },
    ]);
  });

  test.each([
    ['stop', undefined, 'stop'],
    ['tool_calls', undefined, 'tool_call'],
    ['content_filter', 'SAFETY', 'content_filter'],
    ['other', 'RECITATION', 'RECITATION'],
    ['other', undefined, 'other'],
  ] as const)('finish reason %s (raw %s) → %s', (reason, raw, expected) => expect(genAiFinishReason(reason, raw)).toBe(expected));

  test('error.type: the HTTP status, the class name, or _OTHER', () => {
    expect(errorType(new HttpError({ provider: 'openai', status: 429, body: {}, headers: {}, detail: 'slow', retryable: true }))).toBe('429');
    expect(errorType(new StreamTimeoutError({ kind: 'idle', timeoutMs: 100 }))).toBe('StreamTimeoutError');
    expect(errorType(new Error('plain'))).toBe('_OTHER');
    expect(errorType('a string')).toBe('_OTHER');
  });
});
