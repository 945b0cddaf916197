/**
 * JSON in the style of the Gemini stream: a space after each `:`, none after `,`
 * (`{"candidates": [{"content": {"parts": [{"text": "The"}],"role": "model"}}]}`), non-ASCII raw.
 */
export function googleJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(googleJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries: string[] = [];
    for (const [key, v] of Object.entries(value)) if (v !== undefined) entries.push(`${JSON.stringify(key)}: ${googleJson(v)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
