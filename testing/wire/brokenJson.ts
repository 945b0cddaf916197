/**
 * The first half of a JSON object's text: a payload that cannot parse (the object is never closed),
 * for the frame a `malformed` fault inserts.
 *
 * @example
 * brokenJson('{"type":"ping"}'); // '{"type":'
 */
export function brokenJson(json: string): string {
  return json.slice(0, Math.ceil(json.length / 2));
}
