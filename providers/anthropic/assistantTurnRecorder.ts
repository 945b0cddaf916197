import type { AnthropicWireContentBlock, AnthropicWireDelta } from './wireEvent';

/** One content block of the assistant turn, as the request sends it back (the response's block, completed). */
export type AnthropicTurnBlock = Record<string, unknown>;

/** A block as it started, and what its deltas brought. */
interface RecordedBlock {
  start: AnthropicWireContentBlock;
  /** text, thinking or JSON pieces, joined once at the end */
  parts: string[];
  signature?: string;
  citations?: unknown[];
}

/**
 * The content blocks of the assistant turn a stream brings, recorded as they stream so that the
 * turn can be sent back as it was (Anthropic's `pause_turn`: "provide the response back as-is in a
 * subsequent request to let the model continue"): each block as `content_block_start` gave it,
 * completed by its deltas — `text` with its text and citations, `thinking` with its text and
 * signature, `tool_use` / `server_tool_use` / `mcp_tool_use` with the `input` their JSON pieces
 * make, and every other block (redacted thinking, server tool results, fallback, …) as it started,
 * complete. Blocks come back in the order of their `index`. Recording is a push per delta: the
 * strings are the deltas' own, joined once by `blocks()`.
 *
 * @example
 * const turn = createAssistantTurnRecorder();
 * turn.start(0, { type: 'text', text: '' });
 * turn.delta(0, { type: 'text_delta', text: 'Searching…' });
 * turn.blocks(); // [{ type: 'text', text: 'Searching…' }]
 */
export function createAssistantTurnRecorder() {
  const recorded = new Map<number, RecordedBlock>();
  return {
    start(index: number, block: AnthropicWireContentBlock): void {
      recorded.set(index, { start: block, parts: [] });
    },
    delta(index: number, delta: AnthropicWireDelta): void {
      const block = recorded.get(index);
      if (!block) return;
      switch (delta.type) {
        case 'text_delta':
          if (delta.text) block.parts.push(delta.text);
          return;
        case 'thinking_delta':
          if (delta.thinking) block.parts.push(delta.thinking);
          return;
        case 'input_json_delta':
          if (delta.partial_json) block.parts.push(delta.partial_json);
          return;
        case 'signature_delta':
          if (delta.signature) block.signature = delta.signature;
          return;
        case 'citations_delta':
          if (delta.citation !== undefined && delta.citation !== null) (block.citations ??= []).push(delta.citation);
          return;
        default:
          return;
      }
    },
    /** the turn's blocks so far, in order */
    blocks(): AnthropicTurnBlock[] {
      return [...recorded.entries()].sort(([a], [b]) => a - b).map(([, block]) => completed(block));
    },
  };
}

export type AssistantTurnRecorder = ReturnType<typeof createAssistantTurnRecorder>;

function completed({ start, parts, signature, citations }: RecordedBlock): AnthropicTurnBlock {
  const joined = parts.join('');
  switch (start.type) {
    case 'text': {
      const block: AnthropicTurnBlock = { ...start, text: (start.text ?? '') + joined };
      if (citations) block.citations = citations;
      return block;
    }
    case 'thinking':
      return { ...start, thinking: (start.thinking ?? '') + joined, signature: signature ?? start.signature ?? '' };
    case 'tool_use':
    case 'server_tool_use':
    case 'mcp_tool_use':
      return { ...start, input: inputOf(joined, start.input) };
    default:
      return { ...start };
  }
}

/** A tool block's `input`: its streamed JSON when complete, else what the block started with. */
function inputOf(json: string, startInput: unknown): unknown {
  if (json !== '') {
    try {
      return JSON.parse(json);
    } catch {
      // cut short: the block as it started
    }
  }
  return startInput ?? {};
}
