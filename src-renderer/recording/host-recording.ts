import type { EchoscopeApi } from '../../src-shared/api';

/** A recording the host made, read whole through `readRecording` (whole lines a chunk), or why it could not be. */
export type HostRecordingText = { ok: true; text: string } | { ok: false; message: string };

/**
 * Reads one of the host's recordings over the session, on every host alike (the desktop page has no file
 * access): chunk after chunk until the size the host reported. A recording still running is read as far
 * as it is written.
 */
export async function readHostRecording(api: EchoscopeApi, file: string): Promise<HostRecordingText> {
  const pieces: string[] = [];
  let offset = 0;
  for (;;) {
    const result = await api.invoke('readRecording', { file, offset });
    if (!result.ok) return { ok: false, message: result.error.message };
    const { text, nextOffset, size } = result.value;
    pieces.push(text);
    // A chunk that does not move on would loop forever: take what there is.
    if (nextOffset >= size || nextOffset <= offset) return { ok: true, text: pieces.join('') };
    offset = nextOffset;
  }
}
