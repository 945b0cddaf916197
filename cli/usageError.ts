/**
 * A command line that asks for something the command cannot do: an unknown flag, a flag value that
 * is not one, flags that do not go together. The command prints its message and exits 2, before it
 * probes or starts any server.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
