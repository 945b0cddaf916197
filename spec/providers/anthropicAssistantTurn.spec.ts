import { createAssistantTurnRecorder } from '../../providers/anthropic/assistantTurnRecorder';

describe('anthropic: recording the assistant turn to send back (pause_turn)', () => {
  test('each block as it started, completed by its deltas, in index order; others as they started', () => {
    const turn = createAssistantTurnRecorder();
    // shapes of @anthropic-ai/sdk 1.14's ThinkingBlock, ServerToolUseBlock, WebSearchToolResultBlock, TextBlock
    turn.start(1, { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {}, caller: { type: 'direct' } } as never);
    turn.start(0, { type: 'thinking', thinking: '', signature: '' });
    turn.delta(0, { type: 'thinking_delta', thinking: 'Search for:\n  - 東京 ' });
    turn.delta(0, { type: 'thinking_delta', thinking: 'weather 🌧️' });
    turn.delta(0, { type: 'signature_delta', signature: 'EuYBCkQ==' });
    turn.delta(1, { type: 'input_json_delta', partial_json: '' });
    turn.delta(1, { type: 'input_json_delta', partial_json: '{"query": "東京' });
    turn.delta(1, { type: 'input_json_delta', partial_json: ' weather"}' });
    turn.start(2, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [{ type: 'web_search_result', url: 'https://example.com', encrypted_content: 'Eq==' }] } as never);
    turn.start(3, { type: 'text', text: '', citations: [] } as never);
    turn.delta(3, { type: 'text_delta', text: '    indented' });
    turn.delta(3, { type: 'some_future_delta' });
    turn.start(4, { type: 'tool_use', id: 'toolu_1', name: 'f', input: { given: 'whole' } });
    turn.start(5, { type: 'tool_use', id: 'toolu_2', name: 'g', input: {} });
    turn.delta(5, { type: 'input_json_delta', partial_json: '{"cut' });
    expect(turn.blocks()).toEqual([
      { type: 'thinking', thinking: 'Search for:\n  - 東京 weather 🌧️', signature: 'EuYBCkQ==' },
      { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: '東京 weather' }, caller: { type: 'direct' } },
      { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [{ type: 'web_search_result', url: 'https://example.com', encrypted_content: 'Eq==' }] },
      { type: 'text', text: '    indented', citations: [] },
      { type: 'tool_use', id: 'toolu_1', name: 'f', input: { given: 'whole' } },
      // JSON cut short: the input the block started with
      { type: 'tool_use', id: 'toolu_2', name: 'g', input: {} },
    ]);
  });
});
