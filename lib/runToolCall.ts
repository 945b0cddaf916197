import { from, isObservable, Observable, of } from 'rxjs';
import { isLeft } from './codec/isLeft';
import { formatIssue, reportErrors, type CodecIssue } from './codec/reportErrors';
import { jsonSchemaIssues } from './jsonSchemaIssues';
import type { ChatMessage } from './types/chatMessage';
import type { ToolCall } from './types/chatResponse';
import { isCodec } from './types/schemaCodecs';
import type { ToolDefinition } from './types/toolDefinition';
import type { ToolResult } from './types/toolResult';
import { messageOf } from './messageOf';

/** Where a call is run: the step whose answer made it, and the conversation up to that answer. */
export interface ToolCallContext {
  step: number;
  messages: readonly ChatMessage[];
  /** the call's index in the run */
  index: number;
}

/**
 * Runs one call of a tool that runs itself, as one `ToolResult` (and completion); it never errors:
 * - the arguments are checked first — decoded by the tool's codec (its output is what `execute`
 *   gets), or checked against its JSON Schema — and a failed check is the result, `execute` not run;
 * - `execute(args, { signal, … })` may return a value, a Promise or an Observable (its last value);
 *   a throw, a rejection or an error is the result;
 * - unsubscribing aborts `signal` (once the tool has started and not finished) and unsubscribes
 *   an Observable it returned.
 *
 * A call of a name no tool has is an `'unknown-tool'` result, so that the model can correct itself.
 *
 * @example
 * runToolCall$(weather, call, { step: 0, messages, index: 0 }).subscribe((result) => result.content); // '{"celsius":21}'
 */
export function runToolCall$(tool: ToolDefinition | undefined, call: ToolCall, context: ToolCallContext): Observable<ToolResult> {
  return new Observable<ToolResult>((subscriber) => {
    const base = { toolCallId: call.id, name: call.name, index: context.index };
    const fail = (kind: NonNullable<ToolResult['error']>['kind'], message: string, issues?: CodecIssue[]) => {
      const error: ToolResult['error'] = { kind, message };
      if (issues) error.issues = issues;
      subscriber.next({ ...base, content: message, error });
      subscriber.complete();
    };
    if (!tool?.execute) {
      fail('unknown-tool', `There is no tool named ${JSON.stringify(call.name)}.`);
      return;
    }
    const checked = checkArguments(tool, call);
    if ('message' in checked) {
      fail('arguments', checked.message, checked.issues);
      return;
    }
    const controller = new AbortController();
    let result$: Observable<unknown>;
    try {
      result$ = asObservable(tool.execute(checked.args, { signal: controller.signal, toolCallId: call.id, step: context.step, messages: context.messages }));
    } catch (error) {
      fail('execution', failureOf(call.name, error));
      return;
    }
    let settled = false;
    let value: unknown;
    const subscription = result$.subscribe({
      next: (v) => (value = v),
      error: (error: unknown) => {
        settled = true;
        fail('execution', failureOf(call.name, error));
      },
      complete: () => {
        settled = true;
        let content: string;
        try {
          content = contentOf(value);
        } catch (error) {
          fail('execution', `${call.name} returned a value that is not JSON: ${messageOf(error)}`);
          return;
        }
        subscriber.next(value === undefined ? { ...base, content } : { ...base, value, content });
        subscriber.complete();
      },
    });
    return () => {
      subscription.unsubscribe();
      if (!settled) controller.abort();
    };
  });
}

/** The arguments `execute` gets, or why they do not pass. A custom (free-text) tool's input is its text, unchecked. */
function checkArguments(tool: ToolDefinition, call: ToolCall): { args: unknown } | { message: string; issues?: CodecIssue[] } {
  if (call.custom) return { args: call.argumentsText };
  let args: unknown = call.arguments;
  if (args === undefined) {
    // no arguments at all is an empty object; anything else that did not parse is not JSON
    if (call.argumentsText.trim() !== '') return { message: `The arguments of ${call.name} are not JSON: ${JSON.stringify(call.argumentsText.slice(0, 200))}` };
    args = {};
  }
  const { parameters } = tool;
  if (parameters === undefined) return { args };
  let issues: CodecIssue[];
  if (isCodec(parameters)) {
    const decoded = parameters.decode(args);
    if (!isLeft(decoded)) return { args: decoded.right };
    issues = reportErrors(decoded.left);
  } else {
    issues = jsonSchemaIssues(parameters, args);
    if (issues.length === 0) return { args };
  }
  return { message: `The arguments of ${call.name} do not match its parameters: ${issues.map(formatIssue).join('; ')}`, issues };
}

const isThenable = (u: unknown): u is PromiseLike<unknown> => typeof (u as PromiseLike<unknown> | null)?.then === 'function';

function asObservable(result: unknown): Observable<unknown> {
  if (isObservable(result)) return result;
  if (isThenable(result)) return from(result);
  return of(result);
}

/** What the model reads: a string as it is, nothing as an empty text, anything else as JSON. */
function contentOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`${typeof value} has no JSON form`);
  return json;
}


const failureOf = (name: string, error: unknown): string => `${name} failed: ${messageOf(error)}`;
