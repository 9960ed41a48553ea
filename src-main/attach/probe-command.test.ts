import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { locateProbeDir, probeCommandLine } from './probe-command';

const REPO_PROBE = resolve(__dirname, '../../probe');

describe('locateProbeDir', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it("finds the repository's probe/ when nothing is preferred", () => {
    expect(locateProbeDir()).toBe(REPO_PROBE);
  });

  it('takes the preferred directory (a packaged app’s resources/probe) when it holds the package', () => {
    dir = mkdtempSync(join(tmpdir(), 'resources-'));
    mkdirSync(join(dir, 'probe', 'echoscope_probe'), { recursive: true });
    expect(locateProbeDir(join(dir, 'probe'))).toBe(join(dir, 'probe'));
  });

  it('falls back to the repository when the preferred directory lacks the package', () => {
    dir = mkdtempSync(join(tmpdir(), 'resources-'));
    expect(locateProbeDir(join(dir, 'probe'))).toBe(REPO_PROBE);
  });
});

describe('probeCommandLine', () => {
  it('quotes what the shell would split and brackets an IPv6 host', () => {
    expect(probeCommandLine('/opt/My App/probe', '::1', 8765, 'tok')).toBe(
      "PYTHONPATH='/opt/My App/probe' python3 -m echoscope_probe --to '[::1]:8765' --token tok your_server.py",
    );
  });
});
