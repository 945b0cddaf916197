import { cutTurn } from '../../testing/cutTurn';
import type { MockTurn } from '../../testing';

const turn: MockTurn = {
  text: 'Stream it 👍 now.',
  reasoning: 'Think first.',
  toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Lyon"}' }],
  finishReason: 'tool_calls',
  inputTokens: 12,
};

describe('cutTurn', () => {
  test('keeps the first afterChars characters of the text and the reasoning; no tool calls, no finish reason', () => {
    expect(cutTurn(turn, 6)).toEqual({ text: 'Stream', reasoning: 'Think first.', toolCalls: [], finishReason: null, inputTokens: 12 });
  });

  test('a point inside a surrogate pair moves to after the pair', () => {
    const inside = turn.text.indexOf('👍') + 1;
    expect(cutTurn(turn, inside).text).toBe('Stream it 👍');
    expect(cutTurn(turn, inside - 1).text).toBe('Stream it ');
  });

  test('a point at or past the end keeps all of the text, still without tool calls or finish', () => {
    expect(cutTurn(turn, turn.text.length)).toMatchObject({ text: turn.text, toolCalls: [], finishReason: null });
    expect(cutTurn(turn, 1000)).toMatchObject({ text: turn.text, toolCalls: [], finishReason: null });
  });

  test('0 keeps no text; without afterChars the turn is left as it is', () => {
    expect(cutTurn(turn, 0)).toMatchObject({ text: '', reasoning: 'Think first.', finishReason: null });
    expect(cutTurn(turn, undefined)).toBe(turn);
  });
});
