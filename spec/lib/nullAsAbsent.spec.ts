import * as t from 'io-ts';
import { from, lastValueFrom } from 'rxjs';
import { isOutputValidationError, jsonSchemaOf, toObject, type Chunk } from '../../lib';
import { nullAsAbsent } from '../../lib/nullAsAbsent';

const Person = t.intersection([
  t.type({ name: t.string, works: t.array(t.intersection([t.type({ title: t.string }), t.partial({ year: t.number, coauthor: t.union([t.string, t.null]) })])) }),
  t.partial({ nickname: t.string, address: t.exact(t.partial({ city: t.string })) }),
]);

/** A strict answer: every optional key present, `null` where the model leaves it out. */
const STRICT = {
  name: 'Ada',
  works: [
    { title: 'Notes', year: null, coauthor: null },
    { title: 'Sketch', year: 1843, coauthor: 'Menabrea' },
  ],
  nickname: null,
  address: { city: null },
};

describe('nullAsAbsent: a strict answer read the way the codec means it', () => {
  test("null at an optional key whose codec refuses it is left out, at any depth; a codec that takes null keeps it", () => {
    expect(nullAsAbsent(Person, STRICT)).toEqual({
      name: 'Ada',
      works: [
        { title: 'Notes', coauthor: null },
        { title: 'Sketch', year: 1843, coauthor: 'Menabrea' },
      ],
      address: {},
    });
    // the input is not changed, and what needs no change is the same object
    expect(STRICT.nickname).toBeNull();
    const clean = { name: 'Ada', works: [] };
    expect(nullAsAbsent(Person, clean)).toBe(clean);
  });

  test("a required key's null stays: it is a mismatch, not an absence", () => {
    const value = { name: null, works: [] };
    expect(nullAsAbsent(Person, value)).toBe(value);
  });

  test('the schema strict mode sends and the codec agree through it: every optional key required and nullable, the answer decoded', async () => {
    const schema = jsonSchemaOf(t.partial({ nickname: t.string }), 'strict');
    expect(schema).toMatchObject({ required: ['nickname'], properties: { nickname: { anyOf: [{ type: 'string' }, { type: 'null' }] } } });
    const chunks: Chunk[] = [JSON.stringify(STRICT).slice(0, 30), JSON.stringify(STRICT).slice(30)].map((content, seq) => ({ provider: 'openai', seq, bytes: 1, content }));
    expect(await lastValueFrom(from(chunks).pipe(toObject(Person)))).toEqual(nullAsAbsent(Person, STRICT));
    // a real mismatch is still reported, with the original value and path
    const wrong = { ...STRICT, name: 7 };
    const error = await lastValueFrom(from([{ provider: 'openai', seq: 0, bytes: 1, content: JSON.stringify(wrong) }]).pipe(toObject(Person))).catch((e: unknown) => e);
    expect(isOutputValidationError(error) && [error.issues.map((issue) => issue.path), error.value]).toEqual([['name'], wrong]);
  });
});
