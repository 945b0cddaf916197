import { inputItems } from './responsesRequest';

/**
 * How the Responses API refuses an input whose `function_call` item has no `function_call_output`
 * for its `call_id` later in the input: "No tool output found for function call <call_id>." (as
 * quoted in smallmain/vscode-unify-chat-provider#40, 2026; a 400 `invalid_request_error`, its `param`
 * taken to be `input` like that of the reverse refusal, see `unansweredCall`); `undefined` when every
 * call of the input is answered. The first call without an output is named.
 *
 * @example
 * missingToolOutput([
 *   { role: 'user', content: 'Weather and time in Oslo?' },
 *   { type: 'function_call', call_id: 'call_a', name: 'get_weather', arguments: '{}' },
 *   { type: 'function_call', call_id: 'call_b', name: 'get_time', arguments: '{}' },
 *   { type: 'function_call_output', call_id: 'call_a', output: 'Sunny' },
 * ]); // 'No tool output found for function call call_b.'
 */
export function missingToolOutput(input: unknown): string | undefined {
  const items = inputItems(input);
  const call = items.find(
    (item, i) => item.type === 'function_call' && !items.slice(i + 1).some((later) => later.type === 'function_call_output' && later.call_id === item.call_id),
  );
  return call === undefined ? undefined : `No tool output found for function call ${String(call.call_id)}.`;
}
