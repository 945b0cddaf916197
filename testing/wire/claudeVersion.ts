/** A Claude model's version: `claude-sonnet-4-5` is `{ major: 4, minor: 5 }`, `claude-sonnet-4-20250514` `{ major: 4, minor: 0 }`. */
export interface ClaudeVersion {
  major: number;
  minor: number;
}

/** `claude-{opus|sonnet|haiku}-{major}[-{minor}][-{yyyymmdd}|-latest]`, the names since Claude 4 */
const FAMILY_FIRST = /^claude-(?:opus|sonnet|haiku)-(\d+)(?:-(\d{1,2}))?(?:-(?:\d{8}|latest))?$/;
/** `claude-{major}[-{minor}]-{opus|sonnet|haiku}[-{yyyymmdd}|-latest]`, the Claude 3 names */
const VERSION_FIRST = /^claude-(\d+)(?:-(\d{1,2}))?-(?:opus|sonnet|haiku)(?:-(?:\d{8}|latest))?$/;

/**
 * The version a Claude model name says, or `undefined` for a name of another shape (`mock-model`,
 * `claude-2.1`). Both ways Anthropic writes its names are read: family first (`claude-opus-4-6`,
 * `claude-opus-4-6-20260205`, `claude-sonnet-5`, `claude-haiku-4-5-20251001`) and version first
 * (`claude-3-5-sonnet-20241022`, `claude-3-7-sonnet-latest`, `claude-3-opus-20240229`). A minor version
 * is one or two digits; an 8-digit part is a snapshot date, so `claude-sonnet-4-20250514` is 4.0.
 *
 * @example
 * claudeVersion('claude-opus-4-6-20260205'); // { major: 4, minor: 6 }
 * claudeVersion('claude-sonnet-4-20250514'); // { major: 4, minor: 0 }
 * claudeVersion('claude-3-5-sonnet-20241022'); // { major: 3, minor: 5 }
 * claudeVersion('mock-model'); // undefined
 */
export function claudeVersion(model: string): ClaudeVersion | undefined {
  const match = FAMILY_FIRST.exec(model) ?? VERSION_FIRST.exec(model);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: match[2] === undefined ? 0 : Number(match[2]) };
}
