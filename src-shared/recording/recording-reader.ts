/**
 * Reads a recording line by line: every line is `unknown` until its schema passed. The header decides
 * whether the file can be read at all (not a recording, a newer version: a clear error naming line 1);
 * past it, a bad line is left out with a problem naming it, and nothing else is lost. Pure: the Node
 * file reader and the browser feed it the same lines.
 */
import * as v from 'valibot';
import { type EngineEvent, READABLE_EVENT_SCHEMAS } from '../events';
import { describeValue, isRecord } from '../untrusted-value';
import {
  checkEvent,
  describeIssue,
  isEventKind,
  RUN_AT_START_SCHEMA,
  SETTINGS_SCHEMA,
} from './event-schemas';
import {
  isNoticeLine,
  MAX_REPORTED_PROBLEMS,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type Recording,
  type RecordingHeader,
  type RecordingNotice,
  type RecordingProblem,
} from './recording-format';

const HEADER_SCHEMA = v.object({
  format: v.literal(RECORDING_FORMAT),
  version: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  eventSchema: v.picklist(READABLE_EVENT_SCHEMAS),
  startedAt: v.pipe(v.number(), v.finite()),
  startedAtIso: v.string(),
  settings: v.nullable(SETTINGS_SCHEMA),
  limitBytes: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  recorder: v.string(),
  runAtStart: v.optional(RUN_AT_START_SCHEMA),
}) satisfies v.GenericSchema<unknown, RecordingHeader>;

const NOTICE_SCHEMA = v.object({
  notice: v.picklist(['end', 'size-limit']),
  at: v.pipe(v.number(), v.finite()),
  events: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  message: v.string(),
}) satisfies v.GenericSchema<unknown, RecordingNotice>;

/** Longest line read at all; the writer's lines are far shorter (an error stack is the longest field). */
export const MAX_LINE_LENGTH = 1024 * 1024;

/** Why a file cannot be read as a recording at all. */
export interface RecordingError {
  line: number;
  message: string;
}

export type RecordingRead = { ok: true; recording: Recording } | { ok: false; error: RecordingError };

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Checks line 1; the header, or why this file is not a recording this version can read. */
function checkHeader(text: string): { ok: true; header: RecordingHeader } | { ok: false; message: string } {
  const parsed = parseJson(text);
  if (!parsed.ok || !isRecord(parsed.value) || parsed.value.format !== RECORDING_FORMAT) {
    return { ok: false, message: 'is not an Echoscope recording header (is this a recording?)' };
  }
  const { version, eventSchema } = parsed.value;
  if (typeof version === 'number' && version > RECORDING_VERSION) {
    return {
      ok: false,
      message: `was written by a newer Echoscope (recording format ${version}; this version reads format ${RECORDING_VERSION} and older)`,
    };
  }
  if (typeof eventSchema === 'number' && !READABLE_EVENT_SCHEMAS.includes(eventSchema)) {
    return {
      ok: false,
      message: `holds events of contract version ${eventSchema}; this version reads versions ${READABLE_EVENT_SCHEMAS.join(' and ')}`,
    };
  }
  const result = v.safeParse(HEADER_SCHEMA, parsed.value, { abortEarly: true });
  if (!result.success) return { ok: false, message: `has a bad header: ${describeIssue(result.issues[0])}` };
  return { ok: true, header: result.output };
}

/**
 * Feed it lines in file order (`line` for each complete line, `finish` with the unterminated rest, if
 * any); `result()` says what was read. Memory grows with the events kept, nothing else.
 */
export class RecordingReader {
  private header: RecordingHeader | null = null;
  private fatal: RecordingError | null = null;
  private readonly events: EngineEvent[] = [];
  private ending: RecordingNotice | null = null;
  private endingLine = 0;
  private readonly problems: RecordingProblem[] = [];
  private problemCount = 0;
  private lineNumber = 0;
  private lastSeq = 0;
  private lastAt = Number.NEGATIVE_INFINITY;

  /** Whether reading can stop: the header was refused. */
  get failed(): boolean {
    return this.fatal !== null;
  }

  /** One complete line (without its newline). */
  line(text: string): void {
    this.lineNumber++;
    if (this.fatal) return;
    if (this.header === null) {
      this.readHeader(text);
      return;
    }
    if (text.trim() === '') return;
    this.readBody(text, this.lineNumber);
  }

  /**
   * The file ended. `rest` is what followed the last newline: empty for a well-formed file; otherwise a
   * last line the writer never finished (the process died mid-write) unless it parses on its own.
   */
  finish(rest = ''): RecordingRead {
    if (rest.trim() !== '') {
      this.lineNumber++;
      if (this.header === null) this.readHeader(rest);
      else if (!parseJson(rest).ok) {
        this.problem(
          this.lineNumber,
          'is incomplete: the recording was cut off while this line was being written (left out)',
        );
      } else this.readBody(rest, this.lineNumber);
    }
    if (!this.fatal && this.header === null) {
      this.fatal = { line: 1, message: 'The file is empty: it has no recording header' };
    }
    if (this.fatal) return { ok: false, error: this.fatal };
    return {
      ok: true,
      recording: {
        header: this.header!,
        events: this.events,
        ending: this.ending,
        problems: this.problems,
        problemCount: this.problemCount,
      },
    };
  }

  private readHeader(text: string): void {
    const checked = checkHeader(text.length > MAX_LINE_LENGTH ? '' : text);
    if (checked.ok) this.header = checked.header;
    else this.fatal = { line: this.lineNumber, message: `Line ${this.lineNumber} ${checked.message}` };
  }

  private readBody(text: string, line: number): void {
    if (text.length > MAX_LINE_LENGTH) {
      this.problem(line, `is longer than ${MAX_LINE_LENGTH} characters (left out)`);
      return;
    }
    const parsed = parseJson(text);
    if (!parsed.ok) {
      this.problem(line, 'is not valid JSON (left out)');
      return;
    }
    const value = parsed.value;
    if (!isRecord(value)) {
      this.problem(line, `is ${describeValue(value)}, not an event (left out)`);
      return;
    }
    if (this.ending) {
      this.problem(
        line,
        `comes after the recording's "${this.ending.notice}" notice on line ${this.endingLine} (left out)`,
      );
      return;
    }
    if (isNoticeLine(value)) {
      const notice = v.safeParse(NOTICE_SCHEMA, value, { abortEarly: true });
      if (notice.success) {
        this.ending = notice.output;
        this.endingLine = line;
      } else this.problem(line, `is a bad notice: ${describeIssue(notice.issues[0])} (left out)`);
      return;
    }
    if (!isEventKind(value.kind)) {
      this.problem(line, `has an unknown event kind ${describeValue(value.kind)} (left out)`);
      return;
    }
    const checked = checkEvent(value.kind, value);
    if (!checked.ok) {
      this.problem(line, `is a bad "${value.kind}" event: ${checked.message} (left out)`);
      return;
    }
    const e = checked.event;
    if (e.seq <= this.lastSeq) {
      this.problem(line, `has seq ${e.seq}, not after the previous event's ${this.lastSeq} (left out)`);
      return;
    }
    if (e.at < this.lastAt) {
      this.problem(line, `goes back in time (at ${e.at}, after ${this.lastAt}) (left out)`);
      return;
    }
    this.lastSeq = e.seq;
    this.lastAt = e.at;
    this.events.push(e);
  }

  private problem(line: number, message: string): void {
    this.problemCount++;
    if (this.problems.length < MAX_REPORTED_PROBLEMS)
      this.problems.push({ line, message: `Line ${line} ${message}` });
  }
}

/** Reads a whole recording held as text (a browser's File, a test's string). */
export function readRecordingText(text: string): RecordingRead {
  const reader = new RecordingReader();
  let start = 0;
  for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
    reader.line(text.slice(start, text[end - 1] === '\r' ? end - 1 : end));
    if (reader.failed) break;
    start = end + 1;
  }
  return reader.finish(reader.failed ? '' : text.slice(start));
}
