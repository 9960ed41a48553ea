import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromeTraceJson, recordingToTrace } from '../../src-shared/recording/chrome-trace';
import { readRecordingFile } from '../recording/recording-file';
import { commandConsole } from './console-output';

export const TRACE_USAGE = `Usage: echoscope trace FILE.ndjson [-o trace.json]
  Converts a recording (echoscope serve --record) to Chrome Trace Event JSON, which Perfetto
  (https://ui.perfetto.dev) and chrome://tracing open: a track per task with its waits at recv and
  send, crash, cancel and never-retrieved markers, and a counter of live tasks.
  -o defaults to FILE with .trace.json in place of .ndjson.`;

/** Problems of the recording shown on stderr; the rest are counted. */
const SHOWN_PROBLEMS = 10;

interface TraceOptions {
  input: string;
  output: string;
}

function parseTraceArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    options: { output: { type: 'string', short: 'o' } },
    allowPositionals: true,
    strict: true,
  });
}

function parseTraceOptions(argv: string[]): TraceOptions | string {
  let parsed: ReturnType<typeof parseTraceArgs>;
  try {
    parsed = parseTraceArgs(argv);
  } catch (e) {
    return (e as Error).message.split('\n')[0] ?? 'Invalid options';
  }
  if (parsed.positionals.length !== 1) return 'give exactly one recording file';
  const input = resolve(parsed.positionals[0]!);
  const output = resolve(parsed.values.output ?? `${input.replace(/\.ndjson$/i, '')}.trace.json`);
  if (output === input) return 'the output would overwrite the recording; choose another -o';
  return { input, output };
}

/** `echoscope trace`: a recording to a trace file. 0 when written, 1 when the recording cannot be read, 2 on bad usage. */
export async function runTraceCommand(argv: string[]): Promise<number> {
  const { out, err, finish } = commandConsole();
  if (argv.includes('--help') || argv.includes('-h')) {
    out(TRACE_USAGE);
    return finish(0);
  }
  const options = parseTraceOptions(argv);
  if (typeof options === 'string') {
    err(`echoscope trace: ${options} (see echoscope trace --help)`);
    return finish(2);
  }
  const read = await readRecordingFile(options.input);
  if (!read.ok) {
    err(`echoscope trace: ${read.error.message}`);
    return finish(1);
  }
  const { recording } = read;
  for (const problem of recording.problems.slice(0, SHOWN_PROBLEMS))
    err(`echoscope trace: ${problem.message}`);
  if (recording.problemCount > SHOWN_PROBLEMS)
    err(`echoscope trace: ${recording.problemCount - SHOWN_PROBLEMS} more lines were left out`);
  const trace = recordingToTrace(recording);
  try {
    const file = createWriteStream(options.output);
    const failed = once(file, 'error').then(([e]) => {
      throw e;
    });
    failed.catch(() => {});
    for (const chunk of chromeTraceJson(trace)) {
      if (!file.write(chunk)) await Promise.race([once(file, 'drain'), failed]);
    }
    file.end();
    await Promise.race([once(file, 'finish'), failed]);
  } catch (e) {
    err(`echoscope trace: cannot write ${options.output}: ${(e as Error).message}`);
    return finish(1);
  }
  const tasks = recording.events.filter((e) => e.kind === 'accepted').length;
  const ending =
    recording.ending === null
      ? 'cut off without an end notice'
      : recording.ending.notice === 'end'
        ? 'ended normally'
        : 'stopped at its size limit';
  out(
    `Wrote ${options.output}: ${trace.traceEvents.length} trace events for ${tasks} tasks from ${recording.events.length} recorded events (${ending}${recording.problemCount > 0 ? `, ${recording.problemCount} bad lines left out` : ''}).`,
  );
  out('  Open it in https://ui.perfetto.dev or chrome://tracing.');
  return finish(0);
}
