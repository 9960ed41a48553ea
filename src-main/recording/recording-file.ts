import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { MAX_RECORDING_FILE_BYTES } from '../../src-shared/recording/recording-format';
import {
  MAX_LINE_LENGTH,
  type RecordingRead,
  RecordingReader,
} from '../../src-shared/recording/recording-reader';

/**
 * Reads and checks a recording file line by line (streamed: the text is never held whole). A file that
 * is missing, too large, not a recording or from a newer version is an error naming the file (and the
 * line); bad lines inside one are left out and listed in `problems`.
 */
export async function readRecordingFile(
  path: string,
  maxBytes = MAX_RECORDING_FILE_BYTES,
): Promise<RecordingRead> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return { ok: false, error: { line: 0, message: `${path} is not a file` } };
    size = info.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT' ? `${path} does not exist` : `Cannot read ${path}: ${(error as Error).message}`;
    return { ok: false, error: { line: 0, message } };
  }
  if (size > maxBytes) {
    return {
      ok: false,
      error: {
        line: 0,
        message: `${path} is ${size} bytes, more than the ${maxBytes} bytes a recording may have`,
      },
    };
  }
  const reader = new RecordingReader();
  const decoder = new StringDecoder('utf8');
  let rest = '';
  /** Inside a line already too long to read: its text is dropped until its newline. */
  let overlong = false;
  try {
    for await (const chunk of createReadStream(path)) {
      rest += decoder.write(chunk as Buffer);
      let start = 0;
      for (let end = rest.indexOf('\n'); end !== -1; end = rest.indexOf('\n', start)) {
        // An overlong line is handed over cut to just over the limit: the reader names it and moves on.
        const line = overlong
          ? 'x'.repeat(MAX_LINE_LENGTH + 1)
          : rest.slice(start, rest[end - 1] === '\r' ? end - 1 : end);
        reader.line(line);
        overlong = false;
        start = end + 1;
      }
      rest = rest.slice(start);
      if (rest.length > MAX_LINE_LENGTH) {
        overlong = true;
        rest = '';
      }
      if (reader.failed) break;
    }
  } catch (error) {
    return { ok: false, error: { line: 0, message: `Cannot read ${path}: ${(error as Error).message}` } };
  }
  const read = reader.finish(reader.failed ? '' : rest + decoder.end());
  if (!read.ok) read.error.message = `${path}: ${read.error.message}`;
  return read;
}

/** A recording file's whole text, unchecked (the page's reader checks it), or why it cannot be read. */
export type RecordingText = { ok: true; text: string } | { ok: false; message: string };

/**
 * Reads a file a user chose to open as a recording (the desktop app's File → Open): only a regular file
 * within `maxBytes`, so a wrong choice (a huge log, a device) is refused in words instead of read.
 */
export async function readRecordingFileText(
  path: string,
  maxBytes = MAX_RECORDING_FILE_BYTES,
): Promise<RecordingText> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return { ok: false, message: `${path} is not a file` };
    if (info.size > maxBytes)
      return {
        ok: false,
        message: `${path} is ${info.size} bytes, more than the ${maxBytes} bytes a recording may have`,
      };
    return { ok: true, text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      message:
        code === 'ENOENT' ? `${path} does not exist` : `Cannot read ${path}: ${(error as Error).message}`,
    };
  }
}
