import { parseArgs } from 'node:util';

/** A bad command line: printed as one line, exit code 2. */
export class UsageError extends Error {}

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

/**
 * Parses options strictly (unknown options, missing values and positionals are errors) and turns
 * any error into a one-line UsageError, never a stack.
 */
export function parseStrictOptions(
  argv: string[],
  options: OptionSpec,
): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values;
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0] ?? 'Invalid options');
  }
}
