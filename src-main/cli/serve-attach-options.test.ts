import { describe, expect, it } from 'vitest';
import { parseServeOptions } from './serve-options';

describe('echoscope serve --attach-port', () => {
  it('watches a Python program instead of the built-in server (loopback unless --attach-host)', () => {
    expect(parseServeOptions(['--attach-port', '8765', '--json']).attach).toEqual({
      host: '127.0.0.1',
      port: 8765,
      explicitHost: false,
    });
    expect(parseServeOptions([]).attach).toBeNull();
  });

  it('refuses the built-in server options with it, and bad values, in one line', () => {
    expect(() => parseServeOptions(['--attach-port', '8765', '--port', '8000'])).toThrow(
      '--attach-port watches a Python program instead of the built-in server: the server options do not apply',
    );
    expect(() => parseServeOptions(['--attach-port', '99999'])).toThrow(/^--attach-port: Port must be/);
    expect(() => parseServeOptions(['--attach-host', '::1'])).toThrow('--attach-host needs --attach-port');
  });
});
