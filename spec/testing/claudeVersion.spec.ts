import { claudeVersion } from '../../testing/wire/claudeVersion';

describe('claudeVersion', () => {
  test.each([
    ['claude-sonnet-4-6', 4, 6],
    ['claude-opus-4-6-20260205', 4, 6],
    ['claude-opus-4-7', 4, 7],
    ['claude-sonnet-5', 5, 0],
    ['claude-haiku-4-5-20251001', 4, 5],
    ['claude-opus-4-1', 4, 1],
    ['claude-opus-4-0', 4, 0],
    ['claude-sonnet-4-20250514', 4, 0],
    ['claude-sonnet-4-latest', 4, 0],
    ['claude-opus-10-12', 10, 12],
  ])('family first: %s is %i.%i', (model, major, minor) => {
    expect(claudeVersion(model)).toEqual({ major, minor });
  });

  test.each([
    ['claude-3-5-sonnet-20241022', 3, 5],
    ['claude-3-7-sonnet-latest', 3, 7],
    ['claude-3-5-haiku-20241022', 3, 5],
    ['claude-3-opus-20240229', 3, 0],
    ['claude-3-haiku-20240307', 3, 0],
  ])('version first: %s is %i.%i', (model, major, minor) => {
    expect(claudeVersion(model)).toEqual({ major, minor });
  });

  test('an 8-digit part is a snapshot date, never a minor version', () => {
    expect(claudeVersion('claude-sonnet-4-20250514')?.minor).toBe(0);
    expect(claudeVersion('claude-3-opus-20240229')?.minor).toBe(0);
  });

  test.each(['mock-model', 'gpt-4o-mini', 'claude', 'claude-2.1', 'claude-instant-1.2', 'claude-sonnet', 'claude-sonnet-4-6-extra', 'claude-poem-4-6', 'anthropic.claude-sonnet-4-6-v1:0', 'claude-sonnet-4-123'])(
    'a name of another shape has no version: %s',
    (model) => {
      expect(claudeVersion(model)).toBeUndefined();
    },
  );
});
