import * as t from 'io-ts';
import type { MonoTypeOperatorFunction } from 'rxjs';
import { chunkOperator } from '../../lib/chunkOperator';
import { checkConfig } from '../../lib/codec/checkConfig';
import type { Chunk } from '../../lib/types/chunk';
import { renderFunctionCall } from './renderFunctionCall';

/** The configuration of `highlightFunctionCalls` (also the `highlightFunctionCalls` option of the OpenAI provider, or `true`). */
export const HighlightFunctionCallsConfig = t.partial(
  {
    /** add `rendering`, the call written as `name(key: value, …)` (default false) */
    render: t.boolean,
  },
  '{ render? }',
);
export type HighlightFunctionCallsConfig = t.TypeOf<typeof HighlightFunctionCallsConfig>;

/** What `highlightFunctionCalls` puts in `metadata.functionCall` once a call's arguments are complete. */
export interface FunctionCallHighlight {
  /** the call's `index` in `toolCalls` */
  index: number;
  id?: string;
  name?: string;
  /** the parsed arguments (`{}` for a call streamed without argument text); absent when they did not parse; a custom tool's free-text input as it is */
  arguments?: unknown;
  /** a custom tool's call (free-text input, not JSON): `arguments` is its input text */
  custom?: true;
  /** why the arguments did not parse (they are then in `argumentsText`) */
  error?: string;
  /** the argument text as streamed, given when it did not parse */
  argumentsText?: string;
  /** `get_weather(city: "Paris")`, with `render: true` */
  rendering?: string;
}

/** A call whose fragments are still arriving. */
interface OpenCall {
  index: number;
  id?: string;
  name?: string;
  text: string;
  custom?: true;
}

/**
 * Announces each tool call once its arguments are complete: one synthetic chunk (`bytes: 0`) with
 * `metadata.functionCall = { index, id, name, arguments }`, the arguments parsed from the streamed
 * JSON text. A call is complete when the next call starts (a fragment of a new `index`: OpenAI
 * streams parallel calls one after another), when the finish reason arrives, or when the stream
 * completes. Arguments that do not parse are reported, not thrown: `error` and `argumentsText`
 * instead of `arguments`. A custom tool's call (free-text input) is announced with `custom: true`
 * and its input text as `arguments`, never parsed. With `render: true`, `rendering` is the call
 * written out, `get_weather(city: "Paris")`.
 *
 * The announcement comes before the chunk that completes the call — the next call's first
 * fragment, or the finish — unless that chunk still carries part of the call's arguments (chunks
 * coalesced by recovery), and then right after it. The tool-call fragments themselves
 * pass unchanged; only `seq` is numbered again. Fragments of a call already announced (a server
 * that interleaves calls) are passed on and not announced again.
 *
 * ```
 * chunks:   --a0--b0--a1--b1--f--|            (x0: call 0's fragments, x1: call 1's, f: finish)
 * highlightFunctionCalls()
 * chunks:   --a0--b0--(Ha1)--b1--(Hf)--|      (H: metadata.functionCall of the call just completed)
 * ```
 *
 * @example
 * streamChat$(openai, messages, { tools, highlightFunctionCalls: { render: true } }).subscribe((chunk) => {
 *   const call = chunk.metadata?.functionCall as FunctionCallHighlight | undefined;
 *   if (call) console.log(call.rendering); // get_weather(city: "Paris")
 * });
 *
 * @param config `render: true` adds the readable rendering
 * @see contentModeration
 */
export function highlightFunctionCalls(config: HighlightFunctionCallsConfig = {}): MonoTypeOperatorFunction<Chunk> {
  const { render = false } = checkConfig(HighlightFunctionCallsConfig, config, 'highlightFunctionCalls config');

  return chunkOperator(
    (out) => {
      const open = new Map<number, OpenCall>();
      const announced = new Set<number>();

      const highlight = (call: OpenCall): void => {
        announced.add(call.index);
        const functionCall: FunctionCallHighlight = { index: call.index };
        if (call.id !== undefined) functionCall.id = call.id;
        if (call.name !== undefined) functionCall.name = call.name;
        const text = call.text.trim();
        if (call.custom) {
          functionCall.custom = true;
          functionCall.arguments = call.text;
        } else if (text === '') functionCall.arguments = {};
        else {
          try {
            functionCall.arguments = JSON.parse(text);
          } catch (error) {
            functionCall.error = `the arguments are not valid JSON: ${(error as Error).message}`;
            functionCall.argumentsText = call.text;
          }
        }
        if (render) functionCall.rendering = renderFunctionCall(call.name ?? 'function', functionCall.arguments);
        out.next(out.synthetic({ metadata: { functionCall } }));
      };

      return {
        step(chunk) {
          const deltas = chunk.toolCalls;
          if (!deltas?.length && chunk.finishReason === undefined) return out.next(chunk);
          // the calls this chunk completes, and which of them it still carries arguments of
          let completed: OpenCall[] | undefined;
          let fed: Set<number> | undefined;
          if (deltas) {
            for (const delta of deltas) {
              let call = open.get(delta.index);
              if (!call) {
                if (announced.has(delta.index)) continue;
                // a new call starts: the calls before it are complete
                for (const done of open.values()) {
                  (completed ??= []).push(done);
                  announced.add(done.index);
                }
                open.clear();
                call = { index: delta.index, text: '' };
                open.set(delta.index, call);
              }
              if (call.id === undefined && delta.id) call.id = delta.id;
              if (call.name === undefined && delta.name) call.name = delta.name;
              if (delta.custom) call.custom = true;
              if (delta.argumentsDelta) {
                call.text += delta.argumentsDelta;
                (fed ??= new Set()).add(delta.index);
              }
            }
          }
          if (chunk.finishReason !== undefined) {
            for (const done of open.values()) {
              (completed ??= []).push(done);
              announced.add(done.index);
            }
            open.clear();
          }
          if (!completed) return out.next(chunk);
          // announced before the chunk, unless the chunk still carries part of the call's arguments
          for (const call of completed) if (!fed?.has(call.index)) highlight(call);
          out.next(chunk);
          for (const call of completed) if (fed?.has(call.index)) highlight(call);
        },
        // at completion only: a stream that completed without a finish reason leaves its open calls as complete as they will be
        end() {
          for (const call of [...open.values()]) highlight(call);
          open.clear();
          out.complete();
        },
      };
    },
    { provider: 'openai' },
  );
}
