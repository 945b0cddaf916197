import type { Either, Left } from 'fp-ts/lib/Either';

/**
 * Whether a decode failed. (fp-ts's own `isLeft` lives at a deep path that Node's ESM loader cannot
 * resolve without an extension; the `_tag` test is the same check.)
 */
export const isLeft = <E, A>(result: Either<E, A>): result is Left<E> => result._tag === 'Left';
