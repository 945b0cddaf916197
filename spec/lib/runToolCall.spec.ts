import * as t from 'io-ts';
import { lastValueFrom, NEVER, Observable, of, Subject } from 'rxjs';
import { runToolCall$ } from '../../lib/runToolCall';
import type { ToolCall } from '../../lib/types/chatResponse';
import type { ToolContext, ToolDefinition } from '../../lib/types/toolDefinition';
import type { ToolResult } from '../../lib/types/toolResult';
import { tool } from '../../lib';

const callOf = (name: string, argumentsText: string, extra: Partial<ToolCall> = {}): ToolCall => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(argumentsText);
  } catch {
    parsed = undefined;
  }
  return { index: 0, id: 'call_1', name, arguments: parsed, argumentsText, ...extra };
};
const at = { step: 0, messages: [], index: 3 };
const run = (definition: ToolDefinition | undefined, call: ToolCall): Promise<ToolResult> => lastValueFrom(runToolCall$(definition, call, at));

/** A tool's code block answer: white space that must reach the model as it is. */
const YAML = 'city: Oslo\nforecast:\n  - day: mon\n    sky: "snow ❄"\n  - day: tue\n    sky: 晴れ\n\n# end\n';

describe('runToolCall$: one call of a tool that runs itself, as one result', () => {
  test('a value, a Promise and an Observable (its last value) are the result; a string goes as it is, anything else as JSON', async () => {
    const args = '{"city":"Oslo"}';
    expect(await run({ name: 'w', execute: () => ({ celsius: -3, sky: 'snow ❄' }) }, callOf('w', args))).toEqual({
      toolCallId: 'call_1', name: 'w', index: 3, value: { celsius: -3, sky: 'snow ❄' }, content: '{"celsius":-3,"sky":"snow ❄"}',
    });
    expect((await run({ name: 'w', execute: async () => YAML }, callOf('w', args))).content).toBe(YAML);
    expect((await run({ name: 'w', execute: () => of(1, 2, [3, '流']) }, callOf('w', args))).content).toBe('[3,"流"]');
    // nothing returned: an empty text, and no value
    expect(await run({ name: 'w', execute: () => undefined }, callOf('w', args))).toEqual({ toolCallId: 'call_1', name: 'w', index: 3, content: '' });
  });

  test('the codec decodes the arguments, and execute gets what it decoded', async () => {
    const seen: unknown[] = [];
    const weather = tool({ name: 'w', parameters: t.type({ city: t.string, days: t.Int }), execute: (args) => (seen.push(args), args.days * 2) });
    expect((await run(weather, callOf('w', '{"city":"Oslo","days":3}'))).content).toBe('6');
    expect(seen).toEqual([{ city: 'Oslo', days: 3 }]);
  });

  test('arguments that fail the codec are an error result naming each path; execute does not run', async () => {
    const execute = jest.fn();
    const weather: ToolDefinition = { name: 'get_weather', parameters: t.type({ city: t.string, units: t.keyof({ celsius: null, fahrenheit: null }) }), execute };
    const result = await run(weather, callOf('get_weather', '{"city":42,"units":"kelvin"}'));
    expect(execute).not.toHaveBeenCalled();
    expect(result.error?.kind).toBe('arguments');
    expect(result.error?.issues?.map((issue) => issue.path)).toEqual(['city', 'units']);
    expect(result.content).toBe(`The arguments of get_weather do not match its parameters: city: expected string, got 42; units: expected "celsius" | "fahrenheit", got "kelvin"`);
    expect(result.value).toBeUndefined();
  });

  test('arguments that fail the JSON Schema are an error result naming each path; execute does not run', async () => {
    const execute = jest.fn();
    const parameters = { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } }, required: ['city', 'days'], additionalProperties: false };
    const result = await run({ name: 'forecast', parameters, execute }, callOf('forecast', '{"city":3,"days":9,"extra":true}'));
    expect(execute).not.toHaveBeenCalled();
    expect(result.error?.issues?.map((issue) => issue.path)).toEqual(['city', 'days', 'extra']);
    expect(result.content).toBe(
      'The arguments of forecast do not match its parameters: city: expected a string, got 3; days: expected a whole number from 1 to 7, got 9; extra: expected no such key (allowed: "city", "days"), got true',
    );
    expect((await run({ name: 'forecast', parameters, execute: (args) => args }, callOf('forecast', '{"city":"Tromsø","days":2}'))).content).toBe('{"city":"Tromsø","days":2}');
  });

  test('arguments that are not JSON are an error result; no arguments at all are an empty object', async () => {
    const execute = jest.fn((args: unknown) => args);
    const broken = await run({ name: 'w', execute }, callOf('w', '{"city": "Os'));
    expect([broken.error?.kind, broken.content]).toEqual(['arguments', 'The arguments of w are not JSON: "{\\"city\\": \\"Os"']);
    expect(execute).not.toHaveBeenCalled();
    expect((await run({ name: 'w', execute }, callOf('w', ''))).content).toBe('{}');
  });

  test('a throw, a rejection and an Observable error are an error result with the message; a value without JSON form too', async () => {
    const failing = (execute: () => unknown) => run({ name: 'w', execute }, callOf('w', '{}'));
    for (const result of [
      await failing(() => {
        throw new Error('the API is down');
      }),
      await failing(() => Promise.reject(new Error('the API is down'))),
      await failing(() => new Observable((s) => s.error(new Error('the API is down')))),
    ]) {
      expect(result).toEqual({ toolCallId: 'call_1', name: 'w', index: 3, content: 'w failed: the API is down', error: { kind: 'execution', message: 'w failed: the API is down' } });
    }
    expect((await failing(() => 10n)).content).toBe('w returned a value that is not JSON: Do not know how to serialize a BigInt');
    expect((await failing(() => () => 1)).content).toBe('w returned a value that is not JSON: function has no JSON form');
  });

  test('a name no tool has is an error result the model can read', async () => {
    expect(await run(undefined, callOf('get_wether', '{}'))).toMatchObject({ content: 'There is no tool named "get_wether".', error: { kind: 'unknown-tool' } });
  });

  test("a custom (free-text) tool gets its input text, unchecked", async () => {
    const result = await run({ name: 'sh', parameters: t.type({ never: t.string }), execute: (input) => `ran: ${input}` }, callOf('sh', 'ls -la\n  # two', { custom: true }));
    expect(result.content).toBe('ran: ls -la\n  # two');
  });

  test('unsubscribing while the tool runs aborts its signal and unsubscribes its Observable; after it finished, nothing is aborted', async () => {
    let context: ToolContext | undefined;
    let unsubscribed = false;
    const running = runToolCall$(
      { name: 'w', execute: (_args, c) => ((context = c), new Observable(() => () => (unsubscribed = true))) },
      callOf('w', '{}'),
      at,
    ).subscribe();
    expect(context?.signal.aborted).toBe(false);
    expect(context?.toolCallId).toBe('call_1');
    running.unsubscribe();
    expect([context?.signal.aborted, unsubscribed]).toEqual([true, true]);

    const done = new Subject<string>();
    let finished: ToolContext | undefined;
    const results: ToolResult[] = [];
    const sub = runToolCall$({ name: 'w', execute: (_a, c) => ((finished = c), done) }, callOf('w', '{}'), at).subscribe((r) => results.push(r));
    done.next('ok');
    done.complete();
    sub.unsubscribe();
    expect([results.map((r) => r.content), finished?.signal.aborted]).toEqual([['ok'], false]);
    // a tool that never answers stays pending until unsubscribed
    const pending = runToolCall$({ name: 'w', execute: () => NEVER }, callOf('w', '{}'), at).subscribe();
    expect(pending.closed).toBe(false);
    pending.unsubscribe();
  });
});
