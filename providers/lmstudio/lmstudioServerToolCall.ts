/**
 * `metadata.serverToolCalls`: a tool LM Studio itself called while answering a REST v1 request (an
 * MCP server or a plugin named in the request's `integrations`). The server runs it and goes on
 * with the answer in the same stream, so it is not a call for the client to make and is not in
 * `toolCalls`. Each chunk of a `tool_call.*` event carries the list so far, so the last one (and
 * `toResponse().metadata`) has them all.
 */
export interface LMStudioServerToolCall {
  /** the tool's name */
  tool: string;
  /** `running` after `tool_call.start` / `tool_call.arguments`; `succeeded` or `failed` after the outcome */
  status: 'running' | 'succeeded' | 'failed';
  /** the arguments, as the object the server sent */
  arguments?: unknown;
  /** the tool's raw output (`tool_call.success`) */
  output?: string;
  /** why it failed (`tool_call.failure`), and the server's details */
  reason?: string;
  failure?: unknown;
  /** `{ type: 'plugin', plugin_id }` or `{ type: 'ephemeral_mcp', server_label }`, as sent */
  providerInfo?: unknown;
}
