import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureText } from '../../src-shared/testing/recording-fixture';
import { readRecordingFileText } from './recording-file';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'echoscope-open-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readRecordingFileText (File → Open)', () => {
  it('reads a file whole, unchecked: the page names its bad lines', async () => {
    const path = join(dir, 'run.ndjson');
    await writeFile(path, `${fixtureText()}not json\n`);
    expect(await readRecordingFileText(path)).toEqual({ ok: true, text: `${fixtureText()}not json\n` });
  });

  it('refuses a file over the limit, a folder and a missing file, in words', async () => {
    const big = join(dir, 'big.ndjson');
    await writeFile(big, 'x'.repeat(2000));
    expect(await readRecordingFileText(big, 1000)).toEqual({
      ok: false,
      message: `${big} is 2000 bytes, more than the 1000 bytes a recording may have`,
    });
    expect(await readRecordingFileText(dir)).toEqual({ ok: false, message: `${dir} is not a file` });
    const missing = join(dir, 'gone.ndjson');
    expect(await readRecordingFileText(missing)).toEqual({ ok: false, message: `${missing} does not exist` });
  });
});
