import { parseArgs } from 'node:util';

/** A bad command line: printed as one line, exit code 2. */
export class UsageError extends Error {}

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

const NEGATIVE_NUMBER = /^-\d/;

/**
 * `--port -1` as `--port=-1`: parseArgs reads a value starting with a dash as a possible option and calls
 * it "ambiguous", which hides the real problem (the range) from the user.
 */
function attachNegativeNumbers(argv: string[], options: OptionSpec): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : null;
    if (
      name !== null &&
      options[name]?.type === 'string' &&
      next !== undefined &&
      NEGATIVE_NUMBER.test(next)
    ) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/**
 * Parses options strictly (unknown options, missing values and positionals are errors) and turns
 * any error into a one-line UsageError, never a stack.
 */
export function parseStrictOptions(
  argv: string[],
  options: OptionSpec,
): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({
      args: attachNegativeNumbers(argv, options),
      strict: true,
      allowPositionals: false,
      options,
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0] ?? 'Invalid options');
  }
}
