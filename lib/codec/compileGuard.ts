import type * as t from 'io-ts';

/** A type guard over any input. */
export type Guard = (u: unknown) => boolean;

const cache = new WeakMap<t.Mixed, Guard>();

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * A type guard equivalent to `codec.is`, compiled once from the codec's structure into plain
 * closures: the hot path of wire decoding, where io-ts's own `is` (an `Object.prototype.toString`
 * per record, `Array.prototype.every`, `some` over union members) costs about as much as
 * `JSON.parse`. Codec kinds it does not know (refinements, custom types) keep their own `is`, so
 * the guard is exactly as strict as the codec: the codec stays the single source of truth.
 *
 * @example
 * const isChunk = compileGuard(OpenAIWireChunk);
 * isChunk(JSON.parse(data)); // same answer as OpenAIWireChunk.is(...)
 */
export function compileGuard(codec: t.Mixed): Guard {
  let guard = cache.get(codec);
  if (!guard) {
    guard = compile(codec);
    cache.set(codec, guard);
  }
  return guard;
}

/**
 * Installs a hand-written guard for `codec`: `compileGuard` returns it, for the codec itself and
 * wherever the codec is nested (an intersection that extends it, say). For the few hottest wire
 * payloads, where a guard of plain property reads (each read site seeing one shape) runs about ten
 * times faster than the compiled closures. It must agree with `codec.is` on every input — the
 * codec stays the source of truth, and a property test compares the two (spec/lib/specializedGuards.spec.ts).
 *
 * @example
 * export const Point = specializeGuard(t.type({ x: t.number }), (u) => typeof u === 'object' && u !== null && typeof (u as { x?: unknown }).x === 'number');
 */
export function specializeGuard<C extends t.Mixed>(codec: C, guard: Guard): C {
  cache.set(codec, guard);
  return codec;
}

function compile(codec: t.Mixed): Guard {
  const node = codec as t.Mixed & { _tag?: string; props?: Record<string, t.Mixed>; types?: t.Mixed[]; type?: t.Mixed; keys?: Record<string, unknown>; value?: unknown; codomain?: t.Mixed; domain?: t.Mixed };
  switch (node._tag) {
    case 'StringType':
      return (u) => typeof u === 'string';
    case 'NumberType':
      return (u) => typeof u === 'number';
    case 'BooleanType':
      return (u) => typeof u === 'boolean';
    case 'NullType':
      return (u) => u === null;
    case 'UndefinedType':
      return (u) => u === undefined;
    case 'UnknownType':
      return () => true;
    case 'LiteralType': {
      const value = node.value;
      return (u) => u === value;
    }
    case 'KeyofType': {
      const keys = node.keys!;
      return (u) => typeof u === 'string' && Object.prototype.hasOwnProperty.call(keys, u);
    }
    case 'PartialType': {
      const entries = Object.entries(node.props!).map(([key, prop]) => [key, compileGuard(prop)] as const);
      return (u) => {
        if (!isRecord(u)) return false;
        for (let i = 0; i < entries.length; i++) {
          const value = u[entries[i][0]];
          if (value !== undefined && !entries[i][1](value)) return false;
        }
        return true;
      };
    }
    case 'InterfaceType': {
      const entries = Object.entries(node.props!).map(([key, prop]) => [key, compileGuard(prop)] as const);
      return (u) => {
        if (!isRecord(u)) return false;
        for (let i = 0; i < entries.length; i++) if (!entries[i][1](u[entries[i][0]])) return false;
        return true;
      };
    }
    case 'ArrayType': {
      const item = compileGuard(node.type!);
      return (u) => {
        if (!Array.isArray(u)) return false;
        for (let i = 0; i < u.length; i++) if (!item(u[i])) return false;
        return true;
      };
    }
    case 'UnionType': {
      const members = node.types!.map(compileGuard);
      if (members.length === 3) {
        const [a, b, c] = members;
        return (u) => a(u) || b(u) || c(u);
      }
      return (u) => {
        for (let i = 0; i < members.length; i++) if (members[i](u)) return true;
        return false;
      };
    }
    case 'IntersectionType': {
      const members = node.types!.map(compileGuard);
      return (u) => {
        for (let i = 0; i < members.length; i++) if (!members[i](u)) return false;
        return true;
      };
    }
    case 'DictionaryType': {
      const domain = node.domain as t.Mixed & { _tag?: string };
      if (domain._tag !== 'StringType') return (u) => codec.is(u);
      const value = compileGuard(node.codomain!);
      return (u) => {
        if (!isRecord(u)) return false;
        for (const key in u) if (!value(u[key])) return false;
        return true;
      };
    }
    default:
      return (u) => codec.is(u);
  }
}
