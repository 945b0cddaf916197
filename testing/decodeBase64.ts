/**
 * The bytes of `value` read as standard base64 (RFC 4648 §4: `A–Z a–z 0–9 + /`, padded with `=` to a
 * multiple of 4), or `undefined` when it is anything else — Node's own decoder skips what it cannot
 * read instead of saying so.
 *
 * @example
 * decodeBase64('aGk=')?.toString('utf8'); // 'hi'
 * decodeBase64('aGk');  // undefined (no padding)
 * decodeBase64('a-k='); // undefined (base64url)
 */
export function decodeBase64(value: string): Buffer | undefined {
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  // only the canonical spelling: no stray bits in the last character
  return bytes.toString('base64') === value ? bytes : undefined;
}
