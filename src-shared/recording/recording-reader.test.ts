import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileJsonText, hostileJsonValue, isOneLine } from '../testing/hostile-values';
import { FIXTURE_EVENTS, FIXTURE_HEADER, fixtureText } from '../testing/recording-fixture';
import { MAX_REPORTED_PROBLEMS, RECORDING_VERSION } from './recording-format';
import { readRecordingText } from './recording-reader';

function read(text: string) {
  const result = readRecordingText(text);
  if (!result.ok) throw new Error(`unexpected failure: ${result.error.message}`);
  return result.recording;
}

function failure(text: string) {
  const result = readRecordingText(text);
  if (result.ok) throw new Error('expected the file to be refused');
  return result.error;
}

describe('readRecordingText', () => {
  it('reads a well-formed recording: header, every event in order, its end notice', () => {
    const recording = read(fixtureText());
    expect(recording.header).toEqual(FIXTURE_HEADER);
    expect(recording.events).toEqual(FIXTURE_EVENTS);
    expect(recording.ending).toMatchObject({ notice: 'end', events: FIXTURE_EVENTS.length });
    expect(recording.problems).toEqual([]);
  });

  it('accepts CRLF line ends and blank lines', () => {
    const text = fixtureText().replace(/\n/g, '\r\n').replace('\r\n', '\r\n\r\n');
    expect(read(text).events).toEqual(FIXTURE_EVENTS);
  });

  it('reads a file cut off without a notice (the recorder was killed): ending is null', () => {
    const recording = read(fixtureText(FIXTURE_EVENTS, ''));
    expect(recording.ending).toBeNull();
    expect(recording.events).toHaveLength(FIXTURE_EVENTS.length);
  });

  it('leaves out a torn last line, names it, and keeps every event before it', () => {
    const whole = fixtureText(FIXTURE_EVENTS, '');
    const torn = whole.slice(0, whole.length - 20);
    const recording = read(torn);
    expect(recording.events).toEqual(FIXTURE_EVENTS.slice(0, -1));
    expect(recording.problems).toEqual([
      {
        line: FIXTURE_EVENTS.length + 1,
        message: `Line ${FIXTURE_EVENTS.length + 1} is incomplete: the recording was cut off while this line was being written (left out)`,
      },
    ]);
  });

  it('leaves out each malformed line with a problem naming it, and loses nothing else', () => {
    const lines = fixtureText().split('\n');
    lines[3] = '{"kind":"parked","seq":3,"at":1,"taskId":1'; // not JSON
    lines[5] = JSON.stringify({ ...FIXTURE_EVENTS[4], awaitPoint: 'sleep' });
    lines[7] = JSON.stringify({ ...FIXTURE_EVENTS[6], kind: 'teleported' });
    lines[9] = '[1,2,3]';
    const recording = read(lines.join('\n'));
    expect(recording.problems.map((p) => p.line)).toEqual([4, 6, 8, 10]);
    expect(recording.problems[0]?.message).toBe('Line 4 is not valid JSON (left out)');
    expect(recording.problems[1]?.message).toMatch(/^Line 6 is a bad "parked" event: awaitPoint: /);
    expect(recording.problems[2]?.message).toBe('Line 8 has an unknown event kind "teleported" (left out)');
    expect(recording.problems[3]?.message).toBe('Line 10 is an array, not an event (left out)');
    expect(recording.events).toEqual(FIXTURE_EVENTS.filter((_, i) => ![2, 4, 6, 8].includes(i)));
    expect(recording.ending?.notice).toBe('end');
  });

  it('refuses events out of order and lines after the end notice, by line', () => {
    const events = [...FIXTURE_EVENTS];
    events.splice(3, 0, FIXTURE_EVENTS[1]!);
    const text = `${fixtureText(events)}${JSON.stringify(FIXTURE_EVENTS[0])}\n`;
    const recording = read(text);
    expect(recording.problems.map((p) => p.message)).toEqual([
      "Line 5 has seq 2, not after the previous event's 3 (left out)",
      `Line ${events.length + 3} comes after the recording's "end" notice on line ${events.length + 2} (left out)`,
    ]);
    expect(recording.events).toEqual(FIXTURE_EVENTS);
  });

  it('refuses a file written by a newer version, naming line 1 and both versions', () => {
    const newer = fixtureText().replace(
      `"version":${RECORDING_VERSION}`,
      `"version":${RECORDING_VERSION + 1}`,
    );
    expect(failure(newer)).toEqual({
      line: 1,
      message: `Line 1 was written by a newer Echoscope (recording format ${RECORDING_VERSION + 1}; this version reads format ${RECORDING_VERSION} and older)`,
    });
    expect(failure(fixtureText().replace('"eventSchema":1', '"eventSchema":3')).message).toMatch(
      /^Line 1 holds events of contract version 3/,
    );
  });

  it('refuses what is not a recording, an empty file and a bad header, each in one line', () => {
    expect(failure('')).toEqual({ line: 1, message: 'The file is empty: it has no recording header' });
    expect(failure('hello\nworld\n').message).toBe(
      'Line 1 is not an Echoscope recording header (is this a recording?)',
    );
    expect(failure(`${JSON.stringify(FIXTURE_EVENTS[0])}\n`).message).toMatch(
      /not an Echoscope recording header/,
    );
    const badSettings = fixtureText().replace('"policy":"unhandled"', '"policy":"yolo"');
    expect(failure(badSettings).message).toMatch(/^Line 1 has a bad header: settings: Policy must be one of/);
  });

  it('keeps the first problems and counts the rest', () => {
    const junk = Array.from({ length: MAX_REPORTED_PROBLEMS + 50 }, () => 'junk').join('\n');
    const recording = read(`${JSON.stringify(FIXTURE_HEADER)}\n${junk}\n`);
    expect(recording.problems).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(recording.problemCount).toBe(MAX_REPORTED_PROBLEMS + 50);
  });

  it('never throws on hostile lines; every problem is one line naming its line', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            hostileJsonText(),
            hostileJsonValue().map((v) => JSON.stringify(v) ?? 'x'),
          ),
        ),
        (lines) => {
          const text = `${JSON.stringify(FIXTURE_HEADER)}\n${lines.map((l) => l.replace(/\n/g, ' ')).join('\n')}\n`;
          const result = readRecordingText(text);
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          for (const p of result.recording.problems) {
            expect(isOneLine(p.message)).toBe(true);
            expect(p.message.startsWith(`Line ${p.line} `)).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
