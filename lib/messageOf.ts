/**
 * The message of anything thrown: an `Error`'s `message`, else the value as a string.
 *
 * @example
 * messageOf(new Error('down')); // 'down'
 * messageOf('down'); // 'down'
 */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
