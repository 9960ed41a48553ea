import type { SpawnSyncReturns } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processFailure } from './process-failure.mjs';

type Result = Pick<SpawnSyncReturns<string>, 'error' | 'status' | 'signal' | 'stdout' | 'stderr'>;
const exited = (status: number, stderr = '', stdout = ''): Result => ({
  status,
  signal: null,
  stdout,
  stderr,
});

describe('processFailure', () => {
  it('is null when the process exited 0, whatever it printed', () => {
    expect(processFailure(exited(0, 'Error: a warning on stderr'), 1000)).toBeNull();
  });

  it("keeps just the error of a Node stack trace (electron's install.js)", () => {
    const stack = [
      'RequestError: getaddrinfo ENOTFOUND github.com',
      '    at ClientRequest.<anonymous> (/x/node_modules/got/dist/source/core/index.js:970:111)',
      '    at Object.onceWrapper (node:events:639:26)',
    ].join('\n');
    expect(processFailure(exited(1, stack), 1000)).toBe('getaddrinfo ENOTFOUND github.com');
  });

  it("finds the first error line among progress output (Playwright's installer)", () => {
    const stdout = 'Downloading Chrome for Testing 159.0 from https://cdn.playwright.dev/x.zip\n';
    const stderr = 'Error: getaddrinfo ENOTFOUND cdn.playwright.dev\n    at GetAddrInfoReqWrap.onlookupall\n';
    expect(processFailure(exited(1, stderr, stdout), 1000)).toBe('getaddrinfo ENOTFOUND cdn.playwright.dev');
  });

  it("reads apt's error lines", () => {
    const stderr = 'W: Some index files failed to download.\nE: Unable to locate package chromium\n';
    expect(processFailure(exited(100, stderr), 1000)).toBe('Unable to locate package chromium');
  });

  it('falls back to the last line printed, then to the exit code or signal', () => {
    expect(processFailure(exited(2, 'first\nlast words\n\n'), 1000)).toBe('last words');
    expect(processFailure(exited(3), 1000)).toBe('exit code 3');
    expect(processFailure({ status: null, signal: 'SIGKILL', stdout: '', stderr: '' }, 1000)).toBe(
      'stopped by SIGKILL',
    );
  });

  it('names the timeout it was given when the process was stopped for running too long', () => {
    const timedOut = Object.assign(new Error('spawnSync node ETIMEDOUT'), { code: 'ETIMEDOUT' });
    const result: Result = { error: timedOut, status: null, signal: 'SIGTERM', stdout: '', stderr: '' };
    expect(processFailure(result, 600_000)).toBe('no result within 600 s');
  });

  it('reports a process that could not be started', () => {
    const missing = Object.assign(new Error('spawnSync nope ENOENT'), { code: 'ENOENT' });
    const result: Result = { error: missing, status: null, signal: null, stdout: '', stderr: '' };
    expect(processFailure(result, 1000)).toBe('spawnSync nope ENOENT');
  });
});
