import { basename } from 'node:path';
import { type BrowserWindow, dialog } from 'electron';
import { readRecordingFileText } from '../recording/recording-file';
import type { PageSession } from './session-port';

/**
 * File → Open Recording…: the user picks a file; the main process reads it (a regular file within the
 * size limit, nothing else) and hands its text to the page over the session, where the same reader as
 * the page's own Open recording… checks it and names any bad line. The page gets no file access.
 */
export async function openRecordingFromDialog(
  win: BrowserWindow | null,
  page: PageSession,
  warn: (line: string) => void = console.warn,
): Promise<void> {
  if (!win || win.isDestroyed()) return;
  const choice = await dialog.showOpenDialog(win, {
    title: 'Open a recording',
    properties: ['openFile'],
    filters: [
      { name: 'Echoscope recordings', extensions: ['ndjson'] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  const path = choice.filePaths[0];
  if (choice.canceled || !path) return;
  const read = await readRecordingFileText(path);
  const file = basename(path);
  const sent = page.send(
    read.ok
      ? { type: 'open-recording', file, text: read.text, error: null }
      : { type: 'open-recording', file, text: null, error: read.message },
  );
  if (!sent) warn(`Echoscope: cannot show ${path}: the window has no session open`);
}
