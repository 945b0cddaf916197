import type { CodecIssue } from '../codec/reportErrors';

/**
 * A tool's answer to one call, as the tool loop sends it back to the model and shows it: the chunk
 * after the call's step carries it as `metadata.toolResult`.
 */
export interface ToolResult {
  /** the id of the call it answers */
  toolCallId: string;
  /** the tool's name, as the model called it */
  name: string;
  /** the call's index in the run (its `ToolCallDelta.index`) */
  index: number;
  /** what `execute` gave (an Observable's last value); absent when the tool failed */
  value?: unknown;
  /** what the model is sent: the value (a string as it is, anything else as JSON), or what went wrong */
  content: string;
  /**
   * the call failed and `content` says why: its arguments did not pass the check (`'arguments'`,
   * with the issues), `execute` threw or errored (`'execution'`), or no tool has the name the
   * model called (`'unknown-tool'`)
   */
  error?: { kind: 'arguments' | 'execution' | 'unknown-tool'; message: string; issues?: CodecIssue[] };
}
