import type * as t from 'io-ts';

/** Where an io-ts codec keeps what it is made of (the `_tag`ged classes of io-ts 2). */
type Tagged = t.Mixed & { _tag?: string; props?: Record<string, t.Mixed>; type?: t.Mixed; types?: t.Mixed[]; codomain?: t.Mixed };

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * `value` read the way a strict structured answer means it: a `null` at an optional key (`t.partial`)
 * whose codec refuses `null` is left out. Under OpenAI's strict mode rxllm sends such a key required
 * and nullable (see `jsonSchemaOf`, mode `'strict'`), so the model writes `null` for "absent"; this
 * reads it back as the codec says "absent". Nested objects, arrays, records, intersections, unions
 * and refinements are followed; a `null` anywhere else stays (a required key's `null` is a mismatch).
 * Returns `value` itself when nothing was left out, else a copy.
 *
 * @example
 * nullAsAbsent(t.partial({ nickname: t.string }), { nickname: null }); // {}
 * nullAsAbsent(t.type({ nickname: t.string }), { nickname: null }); // { nickname: null } (the same object)
 */
export function nullAsAbsent(codec: t.Decoder<unknown, unknown>, value: unknown): unknown {
  const c = codec as Tagged;
  switch (c._tag) {
    case 'InterfaceType':
    case 'PartialType':
    case 'StrictType':
      return isObject(value) ? propsWithoutNull(c.props ?? {}, c._tag === 'PartialType', value) : value;
    case 'IntersectionType':
      return (c.types ?? []).reduce((v: unknown, member) => nullAsAbsent(member, v), value);
    case 'ExactType':
    case 'ReadonlyType':
    case 'RefinementType':
      return c.type ? nullAsAbsent(c.type, value) : value;
    case 'ArrayType':
    case 'ReadonlyArrayType':
      return Array.isArray(value) && c.type ? copyOnChange(value, (item) => nullAsAbsent(c.type!, item)) : value;
    case 'DictionaryType':
      return isObject(value) && c.codomain ? propsWithoutNull(Object.fromEntries(Object.keys(value).map((key) => [key, c.codomain!])), false, value) : value;
    case 'UnionType':
      // the first member that takes the value once its nulls are read as absent
      for (const member of c.types ?? []) {
        const read = nullAsAbsent(member, value);
        if (read !== value && member.is(read)) return read;
      }
      return value;
    default:
      return value;
  }
}

function propsWithoutNull(props: Record<string, t.Mixed>, optional: boolean, value: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [key, prop] of Object.entries(props)) {
    if (!(key in value)) continue;
    const v = value[key];
    if (optional && v === null && !prop.is(null)) {
      out ??= { ...value };
      delete out[key];
      continue;
    }
    const read = nullAsAbsent(prop, v);
    if (read !== v) (out ??= { ...value })[key] = read;
  }
  return out ?? value;
}

function copyOnChange(items: unknown[], read: (item: unknown) => unknown): unknown[] {
  let out: unknown[] | undefined;
  items.forEach((item, i) => {
    const r = read(item);
    if (r !== item) (out ??= items.slice())[i] = r;
  });
  return out ?? items;
}
