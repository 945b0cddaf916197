import { concat, defer, EMPTY, from, map, mergeMap, tap, type Observable } from 'rxjs';
import { addUsage } from '../addUsage';
import { createResponseAccumulator } from '../responseAccumulator';
import { runToolCall$ } from '../runToolCall';
import { toAssistantMessage } from '../toAssistantMessage';
import { toolResultMessage } from '../toolResultMessage';
import type { ChatMessage } from '../types/chatMessage';
import type { ToolCall } from '../types/chatResponse';
import type { Chunk } from '../types/chunk';
import type { ToolDefinition } from '../types/toolDefinition';
import type { ToolResult } from '../types/toolResult';
import type { Usage } from '../types/usage';

/** How many steps a run may take, and how many calls of one step run at once. */
export interface ToolSteps {
  maxSteps: number;
  concurrency: number;
}

/**
 * A run of tool steps as one stream: `answer(messages, n)` streams step n's answer; when it ends in
 * tool calls that every tool named can run (`execute`), the calls run (`concurrency` at once), each
 * result is a chunk of its own (`metadata.toolResult`), and — while fewer than `maxSteps` steps have
 * run — the conversation goes on with the answer's assistant turn (`toAssistantMessage`: thinking
 * blocks, signatures, reasoning items, as each API needs them) and the results (`toolResultMessage`).
 * A call of a tool without `execute` ends the run as the answer ended, its calls unanswered; so do
 * calls of an answer cut by its token limit or a content filter (their arguments may be cut too).
 *
 * Downstream sees one stream: `seq` contiguous; `metadata.step = n` on every chunk of step n;
 * the tool calls' indexes unique over the run (step n's after those of the steps before, as
 * `toResponse` folds them); the usage on each chunk the sum over the steps so far. Unsubscribing
 * cancels the answer in flight, or every running tool (its `signal` aborts).
 *
 * ```
 * step 0:  --a--(c|)                 (c: finishReason 'tool_calls', calls x and y)
 * tools:          --rx--ry|          (x and y run at once; a result chunk each)
 * step 1:                 --d--(e|)  (the conversation + assistant turn + 2 tool turns)
 * result:  --a--c--rx--ry--d--(e|)
 * ```
 */
export function runToolSteps(
  messages: readonly ChatMessage[],
  tools: readonly ToolDefinition[],
  { maxSteps, concurrency }: ToolSteps,
  answer: (messages: readonly ChatMessage[], step: number) => Observable<Chunk>,
): Observable<Chunk> {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  // a call runs when its tool runs itself; one of a declared tool without `execute` is the caller's
  const runnable = (call: ToolCall) => !byName.has(call.name) || byName.get(call.name)!.execute !== undefined;

  return defer(() => {
    let seq = 0;
    let usageBefore: Usage | undefined;
    let callsBefore = 0;

    const step = (conversation: readonly ChatMessage[], n: number): Observable<Chunk> =>
      defer(() => {
        const fold = createResponseAccumulator();
        const offset = callsBefore;
        const before = usageBefore;
        let stepUsage: Usage | undefined;

        const answered$ = answer(conversation, n).pipe(
          map((chunk): Chunk => {
            fold.add(chunk);
            const out: Chunk = { ...chunk, seq: seq++, metadata: chunk.metadata ? { ...chunk.metadata, step: n } : { step: n } };
            if (chunk.usage) {
              stepUsage = chunk.usage;
              if (before) out.usage = addUsage(before, chunk.usage);
            }
            if (chunk.toolCalls && offset > 0) out.toolCalls = chunk.toolCalls.map((delta) => ({ ...delta, index: delta.index + offset }));
            return out;
          }),
        );

        const toolsAndNext$ = defer(() => {
          const response = fold.snapshot();
          const calls = response.toolCalls;
          usageBefore = addUsage(before, stepUsage);
          for (const call of calls) callsBefore = Math.max(callsBefore, offset + call.index + 1);
          // calls of an answer that ended as a turn ends ('tool_calls'; 'stop' from servers that say so with
          // calls) run; calls cut short by a limit or a filter do not
          const ended = response.finishReason === 'tool_calls' || response.finishReason === 'stop';
          if (!ended || calls.length === 0 || !calls.every(runnable)) return EMPTY;
          const asked = [...conversation, toAssistantMessage(response)];
          const results: ToolResult[] = [];
          const ran$ = from(calls).pipe(
            mergeMap(
              (call, i) => runToolCall$(byName.get(call.name), call, { step: n, messages: asked, index: offset + call.index }).pipe(tap((result) => (results[i] = result))),
              concurrency,
            ),
            map((result): Chunk => {
              // the stream's provider and the model that made the call
              const chunk: Chunk = { provider: response.provider, seq: seq++, bytes: 0, metadata: { step: n, toolResult: result } };
              if (response.model) chunk.model = response.model;
              return chunk;
            }),
          );
          // the results go back in the order of the calls, whichever finished first
          const next$ = defer(() => (n + 1 < maxSteps ? step([...asked, ...results.map(toolResultMessage)], n + 1) : EMPTY));
          return concat(ran$, next$);
        });

        return concat(answered$, toolsAndNext$);
      });

    return step(messages, 0);
  });
}
